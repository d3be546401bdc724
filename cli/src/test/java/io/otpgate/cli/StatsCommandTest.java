package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code otpgate stats}: the rollup's figures of one tenant, in the terminal, over a real SMTP server. */
class StatsCommandTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    private Conversation run(String... args) {
        return new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, args);
    }

    @Test
    void theFunnelAndDomainsOfTheDefaultTenantAreShownAndAnotherTenantHasNone() throws Exception {
        Files.writeString(dir.resolve("two.csv"), "email\nada@example.com\nbob@gmail.com\n");
        assertThat(run("send", "--csv", "two.csv").exitCode()).isZero();

        Conversation stats = run("stats");
        Conversation other = run("stats", "--since", "1h", "--tenant", "acme");

        assertThat(stats.exitCode()).as(stats.stderr()).isZero();
        assertThat(stats.stdout())
                .contains("Tenant default, last 24h")
                .containsPattern("started\\s+2\\n")
                .containsPattern("delivered\\s+2\\s+100\\.0%")
                .containsPattern("approved\\s+0\\s+0\\.0%")
                .containsPattern("example\\.com\\s+1\\s+1\\s+0\\s+0\\s+0\\.0%")
                .containsPattern("gmail\\.com\\s+1\\s+1");
        assertThat(other.exitCode()).isZero();
        assertThat(other.stdout())
                .contains("Tenant acme, last 1h")
                .containsPattern("started\\s+0\\n")
                .doesNotContain("example.com");
    }

    @Test
    void anUnknownPeriodIsAUsageErrorNamingTheFourAllowed() {
        Conversation stats = run("stats", "--since", "2h");

        assertThat(stats.exitCode()).isEqualTo(2);
        assertThat(stats.stderr()).contains("1h, 24h, 7d, 30d");
    }
}
