package io.otpgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.core.verification.Verifier;
import io.otpgate.core.webhook.WebhookDispatcher;
import io.otpgate.core.webhook.WebhookRetries;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import io.otpgate.mail.DevMailbox;
import io.otpgate.mail.TemplateComposer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The whole service on a random port: a real database (an SQLite file, or embedded PostgreSQL), the
 * engine, the outbox dispatcher, the dev mailbox and the HTTP server, with a clock the test moves.
 * Talk to it over real HTTP. Two fixtures on one {@link TestDatabase} are two instances of the
 * service sharing a database, as in a multi-instance deployment. Public for the browser tests in
 * {@code io.otpgate.server.browser}.
 */
public final class ServiceFixture implements AutoCloseable {

    static final String KEY = "test-api-key-0123456789-abcdefghijklmnop";
    /** A read-only key of the default tenant: GET /v1/stats and the dashboard. */
    public static final String READ_KEY = "test-read-key-0123456789-abcdefghijklmno";
    /** A read-only key of {@link #OTHER_TENANT}. */
    static final String OTHER_READ_KEY = "test-other-read-key-0123456789-abcdefgh";
    /** A key of another tenant, {@link #OTHER_TENANT}. */
    static final String OTHER_KEY = "other-tenant-key-0123456789-abcdefghijk";

    static final Tenant OTHER_TENANT = new Tenant("globex");
    /** A key of the hosted pages' tenant, as an operator would create to read what the pages started. */
    public static final String PAGES_KEY = "pages-tenant-key-0123456789-abcdefghijk";

    static final ServerSecret SECRET =
            ServerSecret.of(List.of("service-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    /** The base of the emails' confirm links; tests open their path on this fixture's port. */
    static final URI PUBLIC_URL = URI.create("http://otpgate.test");

    public final MutableClock clock;
    /** Ids of the fixture's keys a test revoked: refused from the next request on. */
    final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();

    final Database database;
    public final DevMailbox mailbox;
    final OutboxDispatcher dispatcher;
    /** Delivers webhooks with the real HTTP client; private targets refused, and a failure is final. */
    final WebhookDispatcher webhookDispatcher;

    public final HttpServer server;
    final LinkTokens linkTokens = new LinkTokens(SECRET, new SecureRandom());
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The service on a fresh SQLite file in {@code dir}. */
    ServiceFixture(Path dir) {
        this(DatabaseKind.SQLITE, dir);
    }

    ServiceFixture(Path dir, Policy policy, UnaryOperator<ServerSettings> settings) {
        this(DatabaseKind.SQLITE, dir, policy, settings);
    }

    /** The service on a fresh database of {@code kind}; {@code dir} is a temporary directory the test owns. */
    ServiceFixture(DatabaseKind kind, Path dir) {
        this(kind, dir, Policy.defaults(), s -> s);
    }

    ServiceFixture(DatabaseKind kind, Path dir, Policy policy, UnaryOperator<ServerSettings> settings) {
        this(kind.fresh(dir), startClock(), policy, settings);
    }

    /**
     * An instance of the service on {@code db}, which other instances may share; give them one
     * {@code clock}, as real instances share the time of day.
     */
    public ServiceFixture(TestDatabase db, MutableClock clock, Policy policy, UnaryOperator<ServerSettings> settings) {
        this.clock = clock;
        database = db.open(16);
        mailbox = new DevMailbox(clock, database.capturedEmails());
        dispatcher = OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(mailbox)
                .composer(TemplateComposer.builder()
                        .confirmLinks(PUBLIC_URL, linkTokens)
                        .build())
                .secret(SECRET)
                .clock(clock)
                .workers(2)
                .pollInterval(Duration.ofMillis(20))
                .build()
                .start();
        Verifier verifier = Verifier.builder()
                .policy(policy)
                .store(database.verifications())
                .secret(SECRET)
                .clock(clock)
                .onEmailQueued(dispatcher::wake)
                .build();
        CodeSealer webhookSealer = CodeSealer.forWebhookSecrets(SECRET, new SecureRandom());
        WebhookTargets targets = new WebhookTargets(false);
        webhookDispatcher = WebhookDispatcher.builder()
                .queue(database.webhookQueue())
                .transport(new HttpWebhookTransport(targets, Duration.ofSeconds(2)))
                .sealer(webhookSealer)
                .clock(clock)
                .retries(new WebhookRetries(List.of(), 0))
                .pollInterval(Duration.ofMillis(20))
                .build()
                .start();
        server = HttpServer.builder()
                .webhooks(new Webhooks(database.webhooks(), webhookSealer, targets, clock, new SecureRandom()))
                .verifier(verifier)
                .clock(clock)
                .settings(settings.apply(ServerSettingsFixture.defaults()))
                .apiKeys(new ApiKeyCheck() {
                    @Override
                    public Optional<ApiCaller> caller(String presented) {
                        return ServiceFixture.caller(presented).filter(c -> !revokedKeys.contains(c.keyId()));
                    }

                    @Override
                    public boolean active(String keyId) {
                        return !revokedKeys.contains(keyId);
                    }
                })
                .stats(database.stats())
                .analytics(database.analytics())
                .metrics(new ApiMetrics(
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        database.stats(),
                        database.analytics(),
                        database.outbox(),
                        clock))
                .devMailbox(Optional.of(mailbox))
                .secret(SECRET)
                .linkTokens(linkTokens)
                .rateLimiter(database.rateLimiter())
                .delivery(database.outbox(), Duration.ofMinutes(2))
                .build()
                .start();
    }

    private static Optional<ApiCaller> caller(String presented) {
        if (KEY.equals(presented)) {
            return Optional.of(new ApiCaller("key_test", Tenant.DEFAULT));
        }
        if (PAGES_KEY.equals(presented)) {
            return Optional.of(new ApiCaller("key_pages", Tenant.PAGES));
        }
        if (READ_KEY.equals(presented)) {
            return Optional.of(new ApiCaller("key_read", Tenant.DEFAULT, ApiKey.Scope.READ));
        }
        if (OTHER_READ_KEY.equals(presented)) {
            return Optional.of(new ApiCaller("key_other_read", OTHER_TENANT, ApiKey.Scope.READ));
        }
        return OTHER_KEY.equals(presented) ? Optional.of(new ApiCaller("key_other", OTHER_TENANT)) : Optional.empty();
    }

    static MutableClock startClock() {
        return new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    }

    /** A response, its body parsed as JSON when it is JSON. */
    public record Reply(int status, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return io.otpgate.server.Json.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, String json) {
        return post(KEY, path, json);
    }

    /** A POST with another API key, such as {@link #OTHER_KEY}. */
    Reply post(String key, String path, String json) {
        return send(request(key, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A GET with another API key, such as {@link #OTHER_KEY}. */
    public Reply get(String key, String path) {
        return send(request(key, path).GET());
    }

    HttpRequest.Builder request(String path) {
        return request(KEY, path);
    }

    HttpRequest.Builder request(String key, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a verification and returns its id. */
    /** Brings the analytics rollup up to date now, as the expiry sweeper does every interval. */
    public void rollUp() {
        database.rollup().rollUp(clock.instant());
    }

    public String start(String email) {
        Reply reply = post("/v1/verifications", "{\"email\":\"" + email + "\"}");
        if (reply.status() != 201) {
            throw new AssertionError("start failed: " + reply.status() + " " + reply.body());
        }
        return reply.json().get("id").asText();
    }

    /** The code in the newest email captured for {@code email}, as its recipient reads it. */
    String codeFor(String email, int emailsExpected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var messages = mailbox.messages().stream()
                    .filter(m -> m.to().value().equals(email))
                    .toList();
            if (messages.size() >= emailsExpected) {
                return messages.get(0).subject().split(" ")[0];
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("no email for " + email);
    }

    /**
     * The verification once its email's outcome is recorded. The dev mailbox holds the email a moment
     * before the dispatcher writes "sent", so a test that read the code must still wait for this.
     */
    /** The id of the endpoint's first delivery once it has failed for good (up to 30 s). */
    String awaitFailedWebhookDelivery(String webhook) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode d :
                    get("/v1/webhooks/" + webhook + "/deliveries").json().path("deliveries")) {
                if (d.path("status").asText().equals("failed")) {
                    return d.path("id").asText();
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no failed delivery of " + webhook + " in 30 s");
    }

    Reply awaitDelivery(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Reply reply = get("/v1/verifications/" + id);
            String status = reply.json().get("delivery").get("status").asText();
            if ((!status.equals("queued") && !status.equals("sending")) || System.nanoTime() > deadline) {
                return reply;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.close();
        webhookDispatcher.close();
        dispatcher.close();
        database.close();
    }
}
