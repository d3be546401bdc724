package io.otpgate.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.otpgate.core.StoreUnavailableException;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.verification.Verifier;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.mail.DevMailbox;
import io.otpgate.mail.Translations;
import io.otpgate.server.api.VerificationRoutes;
import io.otpgate.server.api.WebhookRoutes;
import io.otpgate.server.pages.CodePage;
import io.otpgate.server.pages.ConfirmPage;
import io.otpgate.server.pages.Dashboard;
import io.otpgate.server.pages.DashboardSession;
import io.otpgate.server.pages.DevMailboxPage;
import io.otpgate.server.pages.HostedPages;
import io.otpgate.server.pages.PageAssets;
import io.otpgate.server.pages.PageCsrf;
import io.otpgate.server.pages.PageHtml;
import io.otpgate.server.pages.PageLocale;
import io.otpgate.server.pages.StartPage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP service: API v1, health, metrics, the OpenAPI description, the hosted verification
 * pages and, in dev mode, the mailbox. Every route is in {@link #routes}; cross-cutting concerns (request ids,
 * security headers, authentication, errors, access log) are wired once around them.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger access = LoggerFactory.getLogger("otpgate.access");
    private static final String STARTED_AT = "otpgate.startedAt";
    /** The pages' words; operators override them with {@code pages*.properties} in the templates directory. */
    static final String PAGE_STRINGS = "io.otpgate.server.pages";
    /** In-flight requests get this long to finish when the server stops. */
    private static final long STOP_GRACE_MILLIS = 30_000;

    private final Builder b;
    private final ApiMetrics metrics;
    private final ClientIp clientIp;
    private Javalin javalin;

    private HttpServer(Builder b) {
        this.b = b;
        this.metrics = b.metrics;
        this.clientIp = new ClientIp(b.settings.trustedProxies());
    }

    public static Builder builder() {
        return new Builder();
    }

    public HttpServer start() {
        javalin = Javalin.create(this::configure).start(b.settings.host(), b.settings.port());
        log.info("http server listening port={}", javalin.port());
        return this;
    }

    public int port() {
        return javalin.port();
    }

    /** Stops accepting connections and lets requests in flight finish (up to 30 s). */
    @Override
    public void close() {
        if (javalin != null) {
            javalin.stop();
        }
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        config.http.maxRequestSize = ServerSettings.MAX_BODY_BYTES;
        config.http.prefer405over404 = true;
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(STOP_GRACE_MILLIS);
            // Without it Jetty aborts requests in flight at stop; with it they complete first.
            server.insertHandler(new GracefulHandler());
            // Requests Jetty refuses before routing (a bad URI, headers too large) get a problem too.
            server.setErrorHandler(new JettyProblems());
        });
        // Jetty caches header fields per connection and by default matches them ignoring case, so
        // "Bearer <KEY IN UPPER CASE>" could be served the cached, correctly-cased Authorization.
        config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        if (!b.settings.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                b.settings.corsOrigins().forEach(origin -> rule.allowHost(origin));
                rule.exposeHeader("Retry-After");
                rule.exposeHeader("X-Request-Id");
                rule.exposeHeader("Location");
            }));
        }
        routes(config);
    }

    private void routes(JavalinConfig config) {
        VerificationRoutes api = new VerificationRoutes(b.verifier, b.clock, b.settings, metrics);
        Operations ops = new Operations(
                b.stats, b.analytics, metrics, b.clock, b.outbox, b.deliveryAlertAge, b.settings.metricsToken());
        DevMailboxPage devMailbox = new DevMailboxPage(b.devMailbox);
        PageAssets assets = new PageAssets();
        HostedPages hosted = hostedPages(assets);
        StartPage start = new StartPage(hosted);
        CodePage code = new CodePage(hosted);
        ConfirmPage confirm = new ConfirmPage(hosted, linkTokens());
        var r = config.routes;

        r.before(this::begin);
        r.before("/v1/*", this::authenticate);

        // OTPGATE_PAGES=off: an API-only deployment has no public form for anyone to start from.
        if (b.settings.pages()) {
            r.get("/", start::show);
            r.post("/start", start::start);
            r.get("/verify/{id}", code::show);
            r.post("/verify/{id}", code::check);
            r.post("/verify/{id}/resend", code::resend);
            r.get("/verify/{id}/done", code::done);
            r.get("/confirm/{id}/{token}", confirm::show);
            r.post("/confirm/{id}/{token}", confirm::confirm);
        }
        r.get("/assets/{name}", assets::serve);
        Dashboard dashboard = new Dashboard(
                b.analytics,
                b.apiKeys,
                new DashboardSession(
                        b.secret.derive("otpgate/dashboard-session/v1"), b.clock, b.settings.secureCookies()),
                csrf(),
                b.rateLimiter,
                b.settings,
                clientIp,
                b.clock,
                assets.version());
        r.get("/dashboard", dashboard::show);
        r.post("/dashboard/sign-in", dashboard::signIn);
        r.post("/dashboard/sign-out", dashboard::signOut);
        r.get("/health/live", ops::live);
        r.get("/health/ready", ops::ready);
        r.get("/health/delivery", ops::delivery);
        r.get("/metrics", ops::metrics);
        r.get("/openapi.json", ops::openApi);
        r.get("/v1/stats", ops::stats);
        r.post("/v1/verifications", api::start);
        r.post("/v1/verifications/batch", api::batch);
        r.post("/v1/verifications/check", api::checkByEmail);
        r.get("/v1/verifications/{id}", api::get);
        r.post("/v1/verifications/{id}/check", api::check);
        r.post("/v1/verifications/{id}/resend", api::resend);
        r.post("/v1/verifications/{id}/cancel", api::cancel);
        r.get("/v1/verifications/{id}/events", api::events);
        b.webhooks.ifPresent(webhooks -> {
            WebhookRoutes hooks = new WebhookRoutes(webhooks);
            r.get("/v1/webhooks", hooks::list);
            r.post("/v1/webhooks", hooks::add);
            r.delete("/v1/webhooks/{id}", hooks::remove);
            r.post("/v1/webhooks/{id}/test", hooks::test);
            r.get("/v1/webhooks/{id}/deliveries", hooks::deliveries);
            r.post("/v1/webhooks/{id}/deliveries/{delivery}/replay", hooks::replay);
        });
        if (b.devMailbox.isPresent()) {
            r.get("/dev/mailbox", devMailbox::mailbox);
            r.get("/dev/mailbox/messages", devMailbox::mailboxJson);
        }

        r.exception(ApiProblem.class, (problem, ctx) -> problem(ctx, problem, hosted));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, ApiProblem.from(e), hosted));
        r.exception(StoreUnavailableException.class, (e, ctx) -> {
            log.warn("request refused request_id={} route={}: {}", Http.requestId(ctx), route(ctx), e.getMessage());
            problem(ctx, ApiProblem.unavailable(), hosted);
        });
        r.exception(Exception.class, (e, ctx) -> {
            log.error("request failed request_id={} route={}", Http.requestId(ctx), route(ctx), e);
            problem(ctx, ApiProblem.internal(), hosted);
        });
        r.after(this::finish);
    }

    private void begin(Context ctx) {
        ctx.attribute(STARTED_AT, System.nanoTime());
        String requestId = RequestIds.accept(ctx.header("X-Request-Id"));
        ctx.attribute(Http.REQUEST_ID, requestId);
        MDC.put("request_id", requestId);
        ctx.header("X-Request-Id", requestId);
        SecurityHeaders.apply(ctx);
        // Refused up front, so routes that never read their body (resend, cancel) refuse it too.
        if (ctx.req().getContentLengthLong() > ServerSettings.MAX_BODY_BYTES) {
            Http.discardBody(ctx);
            throw ApiProblem.payloadTooLarge();
        }
        Http.requireKnownCharset(ctx);
        if (ctx.path().startsWith("/v1/") && ctx.method() == HandlerType.POST) {
            Http.requireJson(ctx);
        }
    }

    private void authenticate(Context ctx) {
        if (ctx.method() == HandlerType.OPTIONS) {
            return; // CORS preflight carries no credentials
        }
        String header = ctx.header("Authorization");
        Optional<ApiCaller> caller = Optional.ofNullable(header)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip())
                .flatMap(b.apiKeys::caller);
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized();
        }
        // A read-only key reads the figures and nothing else: not even a verification, which
        // holds an address, since such a key is made to be typed into a browser.
        if (caller.get().scope() == ApiKey.Scope.READ
                && !(ctx.method() == HandlerType.GET && ctx.path().equals("/v1/stats"))) {
            throw ApiProblem.forbidden();
        }
        ctx.attribute(Http.API_CALLER, caller.get());
    }

    private HostedPages hostedPages(PageAssets assets) {
        Translations strings =
                Translations.load(PAGE_STRINGS, HttpServer.class.getClassLoader(), b.defaultLocale, b.templatesDir);
        PageHtml html = new PageHtml(strings, b.settings.brand(), b.devMailbox.isPresent(), assets.version());
        return new HostedPages(
                b.verifier,
                b.clock,
                b.settings,
                b.rateLimiter,
                csrf(),
                new PageLocale(b.defaultLocale, b.settings.secureCookies()),
                html,
                clientIp);
    }

    /** The forms' CSRF check, shared by the hosted pages and the dashboard (one cookie, one key). */
    private PageCsrf csrf() {
        return new PageCsrf(b.secret.derive("otpgate/page-csrf/v1"), b.random, b.settings.secureCookies());
    }

    private LinkTokens linkTokens() {
        return b.linkTokens != null ? b.linkTokens : new LinkTokens(b.secret, b.random);
    }

    /** A problem as JSON for the API, as a page for a person (and never with the path: it may hold a token). */
    private void problem(Context ctx, ApiProblem problem, HostedPages hosted) {
        if (b.settings.pages() && HostedPages.isPage(ctx.path())) {
            problem.retryAfterSeconds.ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
            hosted.error(ctx, problem.status, Http.requestId(ctx));
            return;
        }
        problem(ctx, problem);
    }

    private void problem(Context ctx, ApiProblem problem) {
        problem.retryAfterSeconds.ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
        ctx.status(problem.status).json(problem.body(ctx.path(), Http.requestId(ctx)));
        ctx.contentType(Http.PROBLEM_JSON);
    }

    private void finish(Context ctx) {
        Long started = ctx.attribute(STARTED_AT);
        long nanos = started == null ? 0 : System.nanoTime() - started;
        String route = route(ctx);
        int status = ctx.statusCode();
        metrics.request(ctx.method().name(), route, status, nanos);
        access.info(
                "{} {} {} {}ms key={} ip={}",
                ctx.method().name(),
                route,
                status,
                nanos / 1_000_000,
                Optional.ofNullable(Http.apiKeyId(ctx)).orElse("-"),
                clientIp.resolve(ctx));
        MDC.remove("request_id");
    }

    /** The route template, never the raw path: ids stay out of metric labels, junk out of logs. */
    private static String route(Context ctx) {
        try {
            var endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? ApiMetrics.UNMATCHED : endpoint.path;
        } catch (RuntimeException noEndpoint) {
            return ApiMetrics.UNMATCHED;
        }
    }

    /** Builds an {@link HttpServer}; every collaborator but the dev mailbox is required. */
    public static final class Builder {
        private Verifier verifier;
        private Clock clock = Clock.systemUTC();
        private ServerSettings settings;
        private ApiKeyCheck apiKeys;
        private StatsReader stats;
        private AnalyticsReader analytics;
        private ApiMetrics metrics;
        private Optional<DevMailbox> devMailbox = Optional.empty();
        private ServerSecret secret;
        private LinkTokens linkTokens;
        private RateLimiter rateLimiter;
        private Locale defaultLocale = Locale.ENGLISH;
        private Optional<Path> templatesDir = Optional.empty();
        private SecureRandom random = new SecureRandom();
        private Outbox outbox;
        private Duration deliveryAlertAge = Duration.ofMinutes(2);
        private Optional<Webhooks> webhooks = Optional.empty();

        private Builder() {}

        /**
         * The outbox {@code /health/delivery} reports on, and how long an email that could be sent may
         * wait before it answers 503 ({@code OTPGATE_DELIVERY_ALERT_AGE}, 2 minutes by default).
         */
        public Builder delivery(Outbox outbox, Duration alertAge) {
            this.outbox = Objects.requireNonNull(outbox);
            if (alertAge.isNegative() || alertAge.isZero()) {
                throw new IllegalArgumentException("the delivery alert age must be positive");
            }
            this.deliveryAlertAge = alertAge;
            return this;
        }

        /** Keys the hosted pages' CSRF fields (and the email links, unless {@link #linkTokens} is given). */
        /** The tenants' webhook endpoints, served under {@code /v1/webhooks}; without them, no such routes. */
        public Builder webhooks(Webhooks webhooks) {
            this.webhooks = Optional.of(webhooks);
            return this;
        }

        public Builder secret(ServerSecret secret) {
            this.secret = Objects.requireNonNull(secret);
            return this;
        }

        /** Opens the tokens in the emails' confirm links; by default made from {@link #secret}. */
        public Builder linkTokens(LinkTokens linkTokens) {
            this.linkTokens = Objects.requireNonNull(linkTokens);
            return this;
        }

        /** Counts the hosted pages' checks per client IP, in the shared database. */
        public Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = Objects.requireNonNull(rateLimiter);
            return this;
        }

        /** The pages' language when neither the person nor their browser chose a shipped one. */
        public Builder defaultLocale(Locale defaultLocale) {
            this.defaultLocale = Objects.requireNonNull(defaultLocale);
            return this;
        }

        /** Where operators override page strings ({@code pages*.properties}); empty for none. */
        public Builder templatesDir(Optional<Path> templatesDir) {
            this.templatesDir = Objects.requireNonNull(templatesDir);
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Builder verifier(Verifier verifier) {
            this.verifier = Objects.requireNonNull(verifier);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder settings(ServerSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        public Builder apiKeys(ApiKeyCheck apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys);
            return this;
        }

        public Builder stats(StatsReader stats) {
            this.stats = Objects.requireNonNull(stats);
            return this;
        }

        /** The figures of {@code /v1/stats?since=} and the dashboard. */
        public Builder analytics(AnalyticsReader analytics) {
            this.analytics = Objects.requireNonNull(analytics);
            return this;
        }

        /** Shared with the outbox dispatcher, which feeds it email outcomes. */
        public Builder metrics(ApiMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        /** Present only in dev mode (no SMTP host): adds /dev/mailbox. */
        public Builder devMailbox(Optional<DevMailbox> devMailbox) {
            this.devMailbox = Objects.requireNonNull(devMailbox);
            return this;
        }

        public HttpServer build() {
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(apiKeys, "apiKeys");
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(analytics, "analytics");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(rateLimiter, "rateLimiter");
            Objects.requireNonNull(outbox, "outbox");
            return new HttpServer(this);
        }
    }
}
