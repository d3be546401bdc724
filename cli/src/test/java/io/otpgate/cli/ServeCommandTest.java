package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
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

        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve");
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process serve = builder.start();
        StringBuilder seen = new StringBuilder();
        try {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = out.readLine()) != null) {
                                seen.append(line).append('\n');
                                if (line.startsWith("This email was sent to ada@example.com")) {
                                    // Process.destroy() would also close our end of its stdout; send the signal
                                    // instead.
                                    new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid()))
                                            .start()
                                            .waitFor();
                                }
                            }
                        }
                    },
                    () -> "serve printed:\n" + seen);
        } finally {
            serve.destroyForcibly();
        }

        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isZero();
        assertThat(seen).contains("OTPGate", "is ready", "dev mailbox", "To: ada@example.com", "Stopping", "Stopped.");
        // With no public URL, the email links to this process on the port it picked.
        Matcher port = Pattern.compile("is ready in \\d+ ms at http://localhost:(\\d+)")
                .matcher(seen);
        assertThat(port.find()).isTrue();
        assertThat(seen)
                .containsPattern("http://localhost:" + port.group(1) + "/confirm/ver_[0-9a-z]{26}/[A-Za-z0-9_-]{40,}");
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
