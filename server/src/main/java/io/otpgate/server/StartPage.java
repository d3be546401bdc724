package io.otpgate.server;

import static io.otpgate.server.PageHtml.hidden;
import static io.otpgate.server.PageHtml.message;
import static io.otpgate.server.Pages.escape;

import io.javalin.http.Context;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.server.HostedPages.Arrival;
import io.otpgate.server.PageHtml.Message;
import io.otpgate.server.PageHtml.Page;
import java.util.List;
import java.util.Optional;

/** {@code /}: asks for the address (and an optional name) and starts a verification in the page's language. */
final class StartPage {

    static final int MAX_EMAIL = 320;
    static final int MAX_NAME = 200;

    private final HostedPages pages;
    private final PageHtml html;

    StartPage(HostedPages pages) {
        this.pages = pages;
        this.html = pages.html;
    }

    /** The address the form was filled in with, as typed, for showing it again. */
    private record Typed(String email, String name) {}

    void show(Context ctx) {
        pages.arrive(ctx, "/").ifPresent(arrival -> form(ctx, arrival, new Typed("", ""), Optional.empty(), 200));
    }

    void start(Context ctx) {
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
        boolean emailInvalid = message.isPresent() && status != 403;
        String main = """
        <h1>%s</h1>
        <p>%s</p>
        %s<form method="post" action="/start" novalidate>
        %s%s<label for="email">%s</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="%d" \
        value="%s"%s>
        <label for="name">%s</label>
        <input id="name" name="name" type="text" autocomplete="name" maxlength="%d" value="%s">
        <button id="submit" type="submit" class="wide">%s</button>
        </form>
        """.formatted(
                        html.e(page, "start.title"),
                        html.e(page, "start.intro"),
                        message(message),
                        hidden(PageCsrf.FIELD, pages.csrf.field(ctx)),
                        HostedPages.redirectFields(arrival.redirect()),
                        html.e(page, "start.email"),
                        MAX_EMAIL,
                        escape(typed.email()),
                        emailInvalid ? " aria-invalid=\"true\" aria-describedby=\"message\" autofocus" : "",
                        html.e(page, "start.name"),
                        MAX_NAME,
                        escape(typed.name()),
                        html.e(page, "start.submit"));
        pages.respond(ctx, status, page, html.t(page, "start.title"), main, true, arrival.redirect());
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
