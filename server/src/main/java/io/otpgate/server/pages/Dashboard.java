package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.otpgate.core.Validated;
import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.server.ApiCaller;
import io.otpgate.server.ApiKeyCheck;
import io.otpgate.server.ClientIp;
import io.otpgate.server.Json;
import io.otpgate.server.ServerSettings;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The analytics dashboard at {@code /dashboard}: a sign-in form for a read-only API key, then a
 * session cookie ({@link DashboardSession}) and the figures of that key's tenant, never another's,
 * for a chosen period. Charts are SVG drawn on the server ({@link DashboardCharts}); the page runs
 * no script and loads nothing from elsewhere (the hosted pages' content security policy).
 *
 * <p>Only read-only keys sign in: a key of full scope can start and cancel verifications, and
 * should not be typed into a browser. Sign-in and sign-out are forms with the pages' CSRF check,
 * and sign-in attempts count against the per-IP limit on code checks.
 */
public final class Dashboard {

    private static final String TEMPLATE = "dashboard";
    private static final String SIGN_IN = "dashboard-sign-in";

    private final AnalyticsReader analytics;
    private final ApiKeyCheck apiKeys;
    private final DashboardSession sessions;
    private final PageCsrf csrf;
    private final RateLimiter rateLimiter;
    private final ServerSettings settings;
    private final ClientIp clientIp;
    private final Clock clock;
    private final String assetVersion;
    private final PageTemplates templates = PageTemplates.load("io/otpgate/server/pages/", List.of(TEMPLATE, SIGN_IN));

    public Dashboard(
            AnalyticsReader analytics,
            ApiKeyCheck apiKeys,
            DashboardSession sessions,
            PageCsrf csrf,
            RateLimiter rateLimiter,
            ServerSettings settings,
            ClientIp clientIp,
            Clock clock,
            String assetVersion) {
        this.analytics = analytics;
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.csrf = csrf;
        this.rateLimiter = rateLimiter;
        this.settings = settings;
        this.clientIp = clientIp;
        this.clock = clock;
        this.assetVersion = assetVersion;
    }

    private record SignInView(String brand, String assetVersion, String csrf, String error) {}

    private record PeriodLink(String name, String href, String current) {}

    private record View(
            String brand,
            String assetVersion,
            String csrf,
            String tenant,
            String period,
            String from,
            String until,
            String error,
            List<PeriodLink> periods,
            List<Figure> figures,
            List<DashboardCharts.Chart> charts) {}

    /** A headline number. */
    private record Figure(String label, String value) {}

    public void show(Context ctx) {
        Optional<DashboardSession.Session> session = sessions.of(ctx).filter(s -> apiKeys.active(s.keyId()));
        if (session.isEmpty()) {
            signIn(ctx, 200, "");
            return;
        }
        String since = Optional.ofNullable(ctx.queryParam("since")).orElse(Period.DAY.wireName());
        Validated<Period> period = Period.parse(since);
        String error = period instanceof Validated.Invalid<Period> invalid ? invalid.reason() : "";
        Period shown = period.isValid() ? period.orElseThrow() : Period.DAY;
        Analytics a = analytics.read(session.get().tenant(), shown, clock.instant());
        View view = new View(
                settings.brand(),
                assetVersion,
                csrf.field(ctx),
                a.tenant().name(),
                shown.wireName(),
                Json.time(a.from()),
                Json.time(a.until()),
                error,
                Arrays.stream(Period.values())
                        .map(p -> new PeriodLink(
                                p.wireName(), "/dashboard?since=" + p.wireName(), p == shown ? "page" : ""))
                        .toList(),
                List.of(
                        new Figure("Started", DashboardCharts.n(a.total().started())),
                        new Figure("Delivered", DashboardCharts.n(a.total().delivered())),
                        new Figure("Approved", DashboardCharts.n(a.total().approved())),
                        new Figure(
                                "Conversion", DashboardCharts.percent(a.total().conversion())),
                        new Figure("Time to verify, p50", DashboardCharts.bound(a.timeToVerify(), 0.5)),
                        new Figure("Time to verify, p90", DashboardCharts.bound(a.timeToVerify(), 0.9)),
                        new Figure("Delivery latency, p50", DashboardCharts.bound(a.deliveryLatency(), 0.5)),
                        new Figure("Delivery latency, p99", DashboardCharts.bound(a.deliveryLatency(), 0.99))),
                DashboardCharts.of(a));
        respond(ctx, error.isEmpty() ? 200 : 400, templates.render(TEMPLATE, view));
    }

    public void signIn(Context ctx) {
        if (!csrf.accepts(ctx)) {
            signIn(ctx, 403, "This form expired or came from another site. Please try again.");
            return;
        }
        RateLimit perIp = new RateLimit(
                RateLimit.IP_CHECK, clientIp.resolve(ctx), settings.ipCheckLimit(), HostedPages.IP_WINDOW);
        if (rateLimiter.take(List.of(perIp), clock.instant()).isPresent()) {
            signIn(ctx, 429, "Too many attempts from this address. Please wait a few minutes.");
            return;
        }
        String key = Optional.ofNullable(ctx.formParam("key")).orElse("").strip();
        Optional<ApiCaller> caller = key.isEmpty() || key.length() > 200 ? Optional.empty() : apiKeys.caller(key);
        if (caller.isEmpty()) {
            signIn(ctx, 401, "This key is unknown or revoked.");
            return;
        }
        if (caller.get().scope() != ApiKey.Scope.READ) {
            signIn(
                    ctx,
                    403,
                    "This key can start and cancel verifications: sign in with a read-only key instead"
                            + " (otpgate keys create --scope read).");
            return;
        }
        sessions.start(
                ctx,
                new DashboardSession.Session(caller.get().keyId(), caller.get().tenant()));
        ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    }

    public void signOut(Context ctx) {
        if (!csrf.accepts(ctx)) {
            signIn(ctx, 403, "This form expired or came from another site. Please try again.");
            return;
        }
        sessions.end(ctx);
        ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    }

    private void signIn(Context ctx, int status, String error) {
        respond(
                ctx,
                status,
                templates.render(SIGN_IN, new SignInView(settings.brand(), assetVersion, csrf.field(ctx), error)));
    }

    private static void respond(Context ctx, int status, String html) {
        PageHeaders.apply(ctx, Optional.empty());
        ctx.status(status).contentType("text/html; charset=utf-8").result(html);
    }
}
