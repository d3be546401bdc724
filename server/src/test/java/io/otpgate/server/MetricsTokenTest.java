package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.policy.Policy;
import io.otpgate.server.ServiceFixture.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OTPGATE_METRICS_TOKEN}: when set, {@code /metrics} answers only its bearer. */
class MetricsTokenTest {

    private static final String TOKEN = "metrics-token-0123456789abcdef";

    @TempDir
    Path dir;

    ServiceFixture service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void withTheTokenSetMetricsAnswerOnlyItsBearer() {
        service = new ServiceFixture(
                dir, Policy.defaults(), s -> ServerSettingsFixture.withMetricsToken(s, MetricsToken.of(TOKEN)));

        Reply right = metrics("Bearer " + TOKEN);
        Reply schemeInLowerCase = metrics("bearer " + TOKEN);

        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).contains("otpgate_outbox_depth");
        assertThat(schemeInLowerCase.status()).isEqualTo(200);
    }

    @Test
    void withTheTokenSetEverythingElseIs401() {
        service = new ServiceFixture(
                dir, Policy.defaults(), s -> ServerSettingsFixture.withMetricsToken(s, MetricsToken.of(TOKEN)));

        for (String authorization : new String[] {
            "",
            "Bearer " + ServiceFixture.KEY,
            "Bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT),
            "Bearer " + TOKEN + "x",
            "Bearer " + TOKEN.substring(0, TOKEN.length() - 1),
            "Bearer",
            TOKEN,
            "Basic " + TOKEN,
            "Bearer " + TOKEN + " " + TOKEN
        }) {
            Reply reply = metrics(authorization);

            assertThat(reply.status()).as("Authorization: %s", authorization).isEqualTo(401);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(reply.json().get("code").asText()).isEqualTo("unauthorized");
            assertThat(reply.body()).doesNotContain("otpgate_outbox_depth").doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutTheTokenMetricsAreOpen() {
        service = new ServiceFixture(dir);

        assertThat(metrics("").status()).isEqualTo(200);
    }

    @Test
    void aGuessableOrUnsendableTokenIsRefused() {
        assertThat(MetricsToken.problem("short")).isPresent();
        assertThat(MetricsToken.problem("with a space in the middle")).isPresent();
        assertThat(MetricsToken.problem("n\u00f6n-ascii-token-0123456789")).isPresent();
        assertThat(MetricsToken.problem(TOKEN)).isEmpty();
        assertThatThrownBy(() -> MetricsToken.of("short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MetricsToken.of(TOKEN).toString()).doesNotContain(TOKEN);
    }

    private Reply metrics(String authorization) {
        // The fixture sends the API key; an empty value is how HttpClient sends no credentials at all.
        return service.send(service.request("/metrics")
                .setHeader("Authorization", authorization)
                .GET());
    }
}
