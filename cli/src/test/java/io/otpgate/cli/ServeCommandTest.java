package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code otpgate serve} as its own process: it delivers what others queue and stops cleanly on SIGTERM. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void serveDeliversQueuedEmailsAndExitsZeroOnSigterm() throws Exception {
        Map<String, String> env = Map.of("OTPGATE_DATA_DIR", dir.resolve("data").toString(), "OTPGATE_PORT", "0");
        // Queued by a process that does not deliver, so only serve can send it.
        try (OtpGate other = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false)) {
            assertThat(other.verifier().start(StartRequest.of("ada@example.com")))
                    .isInstanceOf(StartResult.Started.class);
        }

        StringBuffer seen = new StringBuffer();
        CountDownLatch emailed = new CountDownLatch(1);
        ServeProcess serve = ServeProcess.start(env, line -> {
            seen.append(line).append('\n');
            if (line.startsWith("This email was sent to ada@example.com")) {
                emailed.countDown();
            }
        });
        try {
            assertThat(emailed.await(60, TimeUnit.SECONDS))
                    .as("serve printed:%n%s", seen)
                    .isTrue();
            serve.terminate();
            assertThat(serve.awaitExit(Duration.ofSeconds(30))).isTrue();
        } finally {
            serve.process().destroyForcibly();
        }

        assertThat(serve.process().exitValue()).isZero();
        assertThat(seen).contains("OTPGate", "is ready", "dev mailbox", "To: ada@example.com", "Stopping", "Stopped.");
        // With no public URL, the email links to this process on the port it picked.
        assertThat(serve.url()).startsWith("http://localhost:");
        assertThat(seen).containsPattern(Pattern.quote(serve.url()) + "/confirm/ver_[0-9a-z]{26}/[A-Za-z0-9_-]{40,}");
    }

    @Test
    void serveHelpListsEverySettingWithItsDefault() {
        Conversation help = new Conversation(Map.of(), dir, "serve", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout())
                .contains("Settings (environment, or in the YAML file")
                .contains("OTPGATE_SMTP_HOST\n")
                .contains("OTPGATE_PORT (default 8080)")
                .contains("OTPGATE_DEV_MAILBOX_PUBLIC (default false)")
                .contains("OTPGATE_JAVA_OPTS");
    }
}
