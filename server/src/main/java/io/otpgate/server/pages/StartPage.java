package io.otpgate.server.pages;

import static io.otpgate.server.pages.PageHtml.section;

import io.javalin.http.Context;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.server.RedirectUris;
import io.otpgate.server.pages.HostedPages.Arrival;
import io.otpgate.server.pages.PageHtml.Hidden;
import io.otpgate.server.pages.PageHtml.Layout;
import io.otpgate.server.pages.PageHtml.Message;
import io.otpgate.server.pages.PageHtml.Page;
import java.util.List;
import java.util.Optional;

/** {@code /}: asks for the address (and an optional name) and starts a verification in the page's language. */
public final class StartPage {

    static final int MAX_EMAIL = 320;
    static final int MAX_NAME = 200;

    private final HostedPages pages;
    private final PageHtml html;

    public StartPage(HostedPages pages) {
        this.pages = pages;
        this.html = pages.html;
    }

    /** The address the form was filled in with, as typed, for showing it again. */
    private record Typed(String email, String name) {}

    private record View(
            Layout layout,
            String intro,
            List<Message> message,
            List<Hidden> hidden,
            String emailLabel,
            int maxEmail,
            String email,
            boolean emailInvalid,
            String nameLabel,
            int maxName,
            String name,
            String submit) {}

    public void show(Context ctx) {
        pages.arrive(ctx, "/").ifPresent(arrival -> form(ctx, arrival, new Typed("", ""), Optional.empty(), 200));
    }

    public void start(Context ctx) {
        Optional<Arrival> found = pages.arrive(ctx, "/");
        if (found.isEmpty()) {
            return;
        }
        Arrival arrival = found.get();
        Page page = arrival.page();
        Typed typed = new Typed(field(ctx, "email"), field(ctx, "name"));
        if (!pages.csrf.accepts(ctx)) {
            form(ctx, arrival, typed, Optional.of(Message.error(html.t(page, "error.csrf"))), 403);
        } else if (typed.email().length() > MAX_EMAIL || typed.name().length() > MAX_NAME) {
            Typed cut = new Typed(cut(typed.email(), MAX_EMAIL), cut(typed.name(), MAX_NAME));
            form(ctx, arrival, cut, Optional.of(Message.error(html.t(page, "error.too_long"))), 400);
        } else {
            // The pages' own tenant: an anonymous visitor never replaces an integrator's verification
            // nor spends its budget for the address. A redirect URI's tenant may read the result.
            StartRequest request = StartRequest.of(typed.email())
                    .withName(typed.name().isBlank() ? null : typed.name())
                    .withLocale(page.locale().toLanguageTag())
                    .withLimits(List.of(pages.startLimit(ctx)))
                    .withTenant(Tenant.PAGES);
            StartResult result = pages.verifier.start(arrival.redirect()
                    .flatMap(RedirectUris.Redirect::tenant)
                    .map(request::readableBy)
                    .orElse(request));
            answer(ctx, arrival, typed, result);
        }
    }

    private void answer(Context ctx, Arrival arrival, Typed typed, StartResult result) {
        Page page = arrival.page();
        if (result.kind() == StartResult.Kind.STARTED) {
            String path = HostedPages.verifyPath(
                    ((StartResult.Started) result).verification().id());
            HostedPages.seeOther(ctx, HostedPages.carrying(path, arrival.redirect(), '?'));
            return;
        }
        String text = switch (result.kind()) {
            case INVALID_EMAIL -> html.t(page, "error.email");
            case INVALID_FIELD -> html.t(page, "error.name");
            case RATE_LIMITED -> {
                StartResult.RateLimited limited = (StartResult.RateLimited) result;
                yield pages.messages.limited(ctx, page, limited.scope(), limited.retryAt());
            }
            case RECIPIENT_LOCKED -> pages.messages.locked(ctx, page, ((StartResult.RecipientLocked) result).until());
            case STARTED, REPLAYED, IDEMPOTENCY_KEY_REUSED ->
                throw new IllegalStateException(
                        "the pages start with no idempotency key: " + result.kind() + " cannot reach here");
        };
        int status =
                result.kind() == StartResult.Kind.RATE_LIMITED || result.kind() == StartResult.Kind.RECIPIENT_LOCKED
                        ? 429
                        : 400;
        form(ctx, arrival, typed, Optional.of(Message.error(text)), status);
    }

    private void form(Context ctx, Arrival arrival, Typed typed, Optional<Message> message, int status) {
        Page page = arrival.page();
        // A refused CSRF token says nothing about the address, so the field is not marked then.
        boolean emailInvalid = message.isPresent() && status != 403;
        View view = new View(
                html.layout(page, "start.title", true),
                html.t(page, "start.intro"),
                section(message),
                pages.hiddenFields(ctx, arrival.redirect()),
                html.t(page, "start.email"),
                MAX_EMAIL,
                typed.email(),
                emailInvalid,
                html.t(page, "start.name"),
                MAX_NAME,
                typed.name(),
                html.t(page, "start.submit"));
        pages.respond(ctx, status, "start", view, arrival.redirect());
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
