package io.otpgate.server.pages;

import static io.otpgate.server.pages.PageHtml.section;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.otpgate.core.Validated;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.server.ClientIp;
import io.otpgate.server.RedirectUris;
import io.otpgate.server.RedirectUris.Redirect;
import io.otpgate.server.ServerSettings;
import io.otpgate.server.pages.PageHtml.Hidden;
import io.otpgate.server.pages.PageHtml.Layout;
import io.otpgate.server.pages.PageHtml.Link;
import io.otpgate.server.pages.PageHtml.Message;
import io.otpgate.server.pages.PageHtml.Page;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the hosted verification pages share: {@link StartPage} ({@code /}) → {@link CodePage}
 * ({@code /verify/{id}}, {@code /verify/{id}/done}), and {@link ConfirmPage} for the email's link.
 *
 * <p>Every page works without JavaScript; every POST passes {@link #guard} (CSRF, then a per-IP
 * limit) or, for a start, CSRF and the per-IP start limit; every step follows Post/Redirect/Get,
 * so reloading never submits twice. A {@code redirect_uri} is followed only when the allow-list
 * accepts it, and a refused one stops the request with a 400 page.
 */
public final class HostedPages {

    static final Duration IP_WINDOW = Duration.ofMinutes(10);
    private static final String LOCALE = "otpgate.pageLocale";
    private static final String VERIFICATION_LOCALE = "otpgate.verificationLocale";

    final Verifier verifier;
    final Clock clock;
    final PageCsrf csrf;
    final PageHtml html;
    final PageMessages messages;
    private final ServerSettings settings;
    private final RateLimiter rateLimiter;
    private final PageLocale locales;
    private final ClientIp clientIp;
    private final RedirectUris redirects;

    public HostedPages(
            Verifier verifier,
            Clock clock,
            ServerSettings settings,
            RateLimiter rateLimiter,
            PageCsrf csrf,
            PageLocale locales,
            PageHtml html,
            ClientIp clientIp) {
        this.verifier = verifier;
        this.clock = clock;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.csrf = csrf;
        this.locales = locales;
        this.html = html;
        this.clientIp = clientIp;
        this.redirects = RedirectUris.of(settings.redirectUris());
        this.messages = new PageMessages(html, clock, verifier.policy());
    }

    /** A request that arrived on a page: the redirect it carries (if any) and the page to write. */
    record Arrival(Optional<Redirect> redirect, Page page) {}

    /** A request for one verification's page. */
    record Visit(Verification verification, Optional<Redirect> redirect, Page page) {}

    /** A page that says what went wrong (or that nothing is here), then perhaps a way on. */
    private record NoticeView(Layout layout, List<Message> message, String paragraph, List<Link> link) {}

    /** Whether a path belongs to the pages (answered in HTML) rather than the API (JSON). */
    public static boolean isPage(String path) {
        return path.equals("/") || path.equals("/start") || path.startsWith("/verify/") || path.startsWith("/confirm/");
    }

    /**
     * The request's {@code redirect_uri} and {@code state} (query on GET, form on POST) for the page
     * at {@code path}; empty when the allow-list refuses them, the 400 page already written.
     */
    Optional<Arrival> arrive(Context ctx, String path) {
        String uri = param(ctx, "redirect_uri");
        if (uri == null || uri.isEmpty()) {
            return Optional.of(new Arrival(Optional.empty(), page(ctx, path, Optional.empty())));
        }
        String state = param(ctx, "state");
        Optional<Redirect> accepted = redirects.accept(uri, state == null || state.isEmpty() ? null : state);
        if (accepted.isEmpty()) {
            Page page = page(ctx, "/", Optional.empty());
            notice(ctx, 400, page, "redirect.title", html.t(page, "redirect.text"), Optional.empty());
            return Optional.empty();
        }
        return Optional.of(new Arrival(accepted, page(ctx, path, accepted)));
    }

    /**
     * The verification in the path and the request's redirect, for the page {@code path} gives;
     * empty when the answer (404, or 400 for a refused redirect) is already written.
     */
    Optional<Visit> visit(Context ctx, Function<VerificationId, String> path) {
        return find(ctx)
                .flatMap(v -> arrive(ctx, path.apply(v.id()))
                        .map(arrival -> new Visit(v, arrival.redirect(), arrival.page())));
    }

    /**
     * The verification in the path; empty when there is none, the 404 page already written. Any
     * tenant's: its unguessable id, which only the email's link and the starter hold, is what lets a
     * person in, and every action then runs as the verification's own tenant, under its limits.
     */
    Optional<Verification> find(Context ctx) {
        Validated<VerificationId> id = VerificationId.parse(ctx.pathParam("id"));
        Optional<Verification> found = id.isValid() ? verifier.find(id.orElseThrow()) : Optional.empty();
        if (found.isEmpty()) {
            notFound(ctx);
        }
        found.ifPresent(v -> ctx.attribute(VERIFICATION_LOCALE, v.locale()));
        return found;
    }

    void notFound(Context ctx) {
        Page page = page(ctx, "/", Optional.empty());
        NoticeView view = new NoticeView(
                html.layout(page, "notfound.title", false),
                List.of(),
                html.t(page, "notfound.text"),
                List.of(startAgain(page)));
        respond(ctx, 404, "notice", view, Optional.empty());
    }

    /** A page for a failure outside the flow (a body too large, a bug): what to do, and a reference. */
    public void error(Context ctx, int status, String reference) {
        Page page = page(ctx, "/", Optional.empty());
        notice(
                ctx,
                status,
                page,
                "error.title",
                html.t(page, "error.text", "reference", reference),
                Optional.of(startAgain(page)));
    }

    /** A page that only says what went wrong ({@code text}), then perhaps a link on. */
    void notice(Context ctx, int status, Page page, String titleKey, String text, Optional<Link> after) {
        NoticeView view =
                new NoticeView(html.layout(page, titleKey, false), List.of(Message.error(text)), "", section(after));
        respond(ctx, status, "notice", view, Optional.empty());
    }

    /** CSRF, then the per-IP limit on checks; a refusal sets the status and says why. */
    Optional<Message> guard(Context ctx, Page page) {
        if (!csrf.accepts(ctx)) {
            ctx.status(403);
            return Optional.of(Message.error(html.t(page, "error.csrf")));
        }
        RateLimit perIp = new RateLimit(RateLimit.IP_CHECK, ip(ctx), settings.ipCheckLimit(), IP_WINDOW);
        Optional<Limited> limited = rateLimiter.take(List.of(perIp), clock.instant());
        if (limited.isPresent()) {
            ctx.status(429);
            return Optional.of(Message.error(
                    messages.limited(ctx, page, RateLimit.IP, limited.get().retryAt())));
        }
        return Optional.empty();
    }

    /** The per-IP limit on starts, which the verifier takes with the recipient's own limits. */
    RateLimit startLimit(Context ctx) {
        return new RateLimit(RateLimit.IP, ip(ctx), settings.ipStartLimit(), IP_WINDOW);
    }

    /** The page template {@code template} filled in from {@code view}, with the pages' headers. */
    void respond(Context ctx, int status, String template, Object view, Optional<Redirect> redirect) {
        PageHeaders.apply(ctx, redirect.map(Redirect::origin));
        ctx.status(status).contentType("text/html; charset=utf-8").result(html.render(template, view));
    }

    /** Post/Redirect/Get: the answer to every successful POST, and to a page that moved on. */
    static void seeOther(Context ctx, String location) {
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    /** A form's hidden fields: the CSRF token, then those that carry a redirect through it. */
    List<Hidden> hiddenFields(Context ctx, Optional<Redirect> redirect) {
        List<Hidden> fields = new ArrayList<>(List.of(new Hidden(PageCsrf.FIELD, csrf.field(ctx))));
        redirect.ifPresent(r -> {
            fields.add(new Hidden("redirect_uri", r.uri()));
            r.state().ifPresent(state -> fields.add(new Hidden("state", state)));
        });
        return fields;
    }

    /** {@code path} with the redirect's query appended after {@code separator} ({@code ?} or {@code &}). */
    static String carrying(String path, Optional<Redirect> redirect, char separator) {
        return path + redirect.map(r -> separator + r.query()).orElse("");
    }

    static String verifyPath(VerificationId id) {
        return "/verify/" + id.value();
    }

    static String donePath(VerificationId id) {
        return verifyPath(id) + "/done";
    }

    private Link startAgain(Page page) {
        return new Link("", "/", html.t(page, "start.again"));
    }

    Page page(Context ctx, String path, Optional<Redirect> redirect) {
        Locale locale = ctx.attribute(LOCALE);
        if (locale == null) {
            locale = locales.choose(ctx, Optional.ofNullable(ctx.attribute(VERIFICATION_LOCALE)));
            ctx.attribute(LOCALE, locale);
        }
        return new Page(locale, path, redirect.map(Redirect::query).orElse(""));
    }

    private static String param(Context ctx, String name) {
        return "POST".equals(ctx.method().name()) ? ctx.formParam(name) : ctx.queryParam(name);
    }

    private String ip(Context ctx) {
        return clientIp.resolve(ctx);
    }
}
