package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.policy.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants over real HTTP: another tenant's key is told nothing ({@code 404}, as for an unknown id),
 * the hosted pages are a tenant of their own, and they can be turned off.
 */
class TenantsOverHttpTest {

    @TempDir
    Path dir;

    private ServiceFixture service;
    private PageClient browser;

    private void serve(UnaryOperator<ServerSettings> settings) {
        service = new ServiceFixture(dir, Policy.defaults(), settings);
        browser = new PageClient(service.server.port());
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** Starts a verification on the hosted start page; returns its id. */
    private String startOnThePages(String email, String redirectQuery) {
        PageClient.Page start = browser.get("/" + redirectQuery);
        List<String> fields = new java.util.ArrayList<>(List.of("email", email, "csrf", start.csrf()));
        if (!redirectQuery.isEmpty()) {
            fields.addAll(List.of("redirect_uri", "https://app.example/callback"));
        }
        PageClient.Page started = browser.post("/start", fields.toArray(String[]::new));
        assertThat(started.status()).as(started.body()).isEqualTo(303);
        return started.location().replaceFirst("^/verify/", "").replaceFirst("[/?].*$", "");
    }

    @Test
    void anotherTenantsKeyGets404ForEveryVerificationRoute() {
        serve(s -> s);
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.clock.advance(Duration.ofMinutes(1));
        String path = "/v1/verifications/" + id;

        assertThat(service.get(ServiceFixture.OTHER_KEY, path).status()).isEqualTo(404);
        assertThat(service.post(ServiceFixture.OTHER_KEY, path + "/check", "{\"code\":\"" + code + "\"}")
                        .status())
                .isEqualTo(404);
        assertThat(service.post(ServiceFixture.OTHER_KEY, path + "/resend", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(service.post(ServiceFixture.OTHER_KEY, path + "/cancel", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(service.post(
                                ServiceFixture.OTHER_KEY,
                                "/v1/verifications/check",
                                "{\"email\":\"Ada@example.com\",\"code\":\"" + code + "\"}")
                        .status())
                .isEqualTo(404);
        var unknown = service.get(ServiceFixture.OTHER_KEY, "/v1/verifications/ver_00000000000000000000000000")
                .json();
        var hidden = service.get(ServiceFixture.OTHER_KEY, path).json();
        assertThat(List.of(hidden.get("code"), hidden.get("detail")))
                .as("indistinguishable from an unknown id")
                .isEqualTo(List.of(unknown.get("code"), unknown.get("detail")));

        var mine = service.get(path).json();
        assertThat(mine.get("status").asText()).isEqualTo("pending");
        assertThat(mine.get("attempts_remaining").asInt()).isEqualTo(3);
        assertThat(mine.get("sends").asInt()).isEqualTo(1);
        assertThat(service.post(path + "/check", "{\"code\":\"" + code + "\"}")
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void checkByEmailInAnotherLetterCaseFindsTheCallersVerification() {
        serve(s -> s);
        String id = service.start("CaseA@example.com");
        String code = service.codeFor("CaseA@example.com", 1);

        var result = service.post(
                        "/v1/verifications/check", "{\"email\":\"casea@EXAMPLE.com\",\"code\":\"" + code + "\"}")
                .json();

        assertThat(result.get("id").asText()).isEqualTo(id);
        assertThat(result.get("valid").asBoolean()).isTrue();
    }

    @Test
    void statsCountOnlyTheCallersTenant() {
        serve(s -> s);
        service.start("ada@example.com");
        service.start("bob@example.com");
        service.post(ServiceFixture.OTHER_KEY, "/v1/verifications", "{\"email\":\"carol@example.com\"}");

        var mine = service.get("/v1/stats").json();
        var theirs = service.get(ServiceFixture.OTHER_KEY, "/v1/stats").json();

        assertThat(mine.get("verifications").get("pending").asLong()).isEqualTo(2);
        assertThat(theirs.get("verifications").get("pending").asLong()).isEqualTo(1);
    }

    @Test
    void theAnalyticsOfAPeriodCountOnlyTheCallersTenant() {
        serve(s -> s);
        service.start("ada@example.com");
        service.start("bob@gmail.com");
        service.post(ServiceFixture.OTHER_KEY, "/v1/verifications", "{\"email\":\"carol@other.example\"}");
        service.database.rollup().rollUp(service.clock.instant());

        var mine = service.get("/v1/stats?since=24h").json();
        var theirs = service.get(ServiceFixture.OTHER_KEY, "/v1/stats?since=1h").json();

        assertThat(mine.get("funnel").get("started").asLong()).isEqualTo(2);
        assertThat(mine.get("domains").findValuesAsText("domain")).containsExactly("example.com", "gmail.com");
        assertThat(theirs.get("funnel").get("started").asLong()).isEqualTo(1);
        assertThat(theirs.get("domains").findValuesAsText("domain")).containsExactly("other.example");
    }

    @Test
    void theFunnelCountersInMetricsArePerTenantFromTheRollup() {
        serve(s -> s);
        service.start("ada@example.com");
        String bob = service.start("bob@example.com");
        service.post(ServiceFixture.OTHER_KEY, "/v1/verifications", "{\"email\":\"carol@other.example\"}");
        service.post("/v1/verifications/" + bob + "/cancel", "{}");
        service.database.rollup().rollUp(service.clock.instant());

        String metrics = service.get("/metrics").body();

        assertThat(metrics)
                .contains("otpgate_funnel_started_total{tenant=\"default\"} 2.0")
                .contains("otpgate_funnel_started_total{tenant=\"globex\"} 1.0")
                .contains("otpgate_funnel_failed_total{reason=\"canceled\",tenant=\"default\"} 1.0")
                .contains("otpgate_funnel_failed_total{reason=\"canceled\",tenant=\"globex\"} 0.0")
                .contains("otpgate_funnel_approved_total{tenant=\"default\"} 0.0")
                .doesNotContain("example.com");
    }

    @Test
    void pagesStartsNeverCancelAnApiVerificationNorSpendItsBudget() {
        serve(s -> s);
        String api = service.start("ada@example.com");
        for (int i = 0; i < 3; i++) {
            startOnThePages("Ada@example.com", "");
        }
        PageClient.Page start = browser.get("/");
        PageClient.Page fourth = browser.post("/start", "email", "ADA@example.com", "csrf", start.csrf());

        assertThat(fourth.status()).as("the pages' budget per address is 3").isEqualTo(429);
        assertThat(service.get("/v1/verifications/" + api).json().get("status").asText())
                .isEqualTo("pending");
        for (int i = 0; i < 9; i++) {
            service.start("ada@example.com");
        }
        assertThat(service.post("/v1/verifications", "{\"email\":\"ada@example.com\"}")
                        .status())
                .isEqualTo(429);
    }

    @Test
    void aRedirectUrisTenantReadsThePagesVerificationsMadeForItButCannotActOnThem() {
        serve(s -> ServerSettingsFixture.withRedirectUris(s, List.of("globex=https://app.example/callback")));
        String id =
                startOnThePages("ada@example.com", "?redirect_uri=" + PageClient.enc("https://app.example/callback"));
        String plain = startOnThePages("bob@example.com", "");

        assertThat(service.get(ServiceFixture.OTHER_KEY, "/v1/verifications/" + id)
                        .status())
                .isEqualTo(200);
        assertThat(service.get(ServiceFixture.OTHER_KEY, "/v1/verifications/" + plain)
                        .status())
                .as("a pages verification without its redirect")
                .isEqualTo(404);
        assertThat(service.get("/v1/verifications/" + id).status())
                .as("another tenant")
                .isEqualTo(404);
        assertThat(service.post(ServiceFixture.OTHER_KEY, "/v1/verifications/" + id + "/cancel", "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void pagesOffRemovesEveryPageRoute() {
        serve(s -> ServerSettingsFixture.withPages(s, false));

        for (String path : List.of("/", "/verify/ver_00000000000000000000000000")) {
            assertThat(browser.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(browser.post("/start", "email", "ada@example.com").status()).isEqualTo(404);
        assertThat(service.start("ada@example.com")).startsWith("ver_");
    }
}
