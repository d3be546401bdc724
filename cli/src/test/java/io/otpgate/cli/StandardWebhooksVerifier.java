package io.otpgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Verifies a webhook with the npm {@code standardwebhooks} package, the convention's reference
 * library, run by {@code node server/src/test/webhooks/verify.js}: a verifier nobody here wrote.
 * Without node or the package (npm ci in that folder) the test is skipped with a message, unless
 * {@code CI=true}, where it fails.
 */
final class StandardWebhooksVerifier {

    private static final Path DIR =
            Path.of("..", "server", "src", "test", "webhooks").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StandardWebhooksVerifier() {}

    /** Skips (or in CI fails) the calling test when the verifier cannot run. */
    static void requireAvailable() {
        String missing = null;
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("standardwebhooks"))) {
            missing = "the standardwebhooks package is not installed: run npm ci in " + DIR;
        } else if (!nodeRuns()) {
            missing = "node is not installed";
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true: " + missing);
            }
            Assumptions.abort(missing);
        }
    }

    /** What the library said: whether the signature holds, and its payload or its reason. */
    record Verdict(boolean valid, String output) {}

    static Verdict verify(String secret, Map<String, String> headers, String body) {
        try {
            Process node = new ProcessBuilder("node", "verify.js")
                    .directory(DIR.toFile())
                    .start();
            node.getOutputStream()
                    .write(JSON.writeValueAsBytes(Map.of("secret", secret, "headers", headers, "body", body)));
            node.getOutputStream().close();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new AssertionError("node verify.js did not finish in 30 s");
            }
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Verdict(node.exitValue() == 0, node.exitValue() == 0 ? out : err);
        } catch (IOException e) {
            throw new AssertionError("cannot run node verify.js", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean nodeRuns() {
        try {
            Process node = new ProcessBuilder("node", "--version").start();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
