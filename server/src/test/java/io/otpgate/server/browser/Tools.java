package io.otpgate.server.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the browser tests need from the machine: Debian's {@code chromium}, its {@code
 * chromium-driver}, and axe-core from npm (server/src/test/browser). Nothing is downloaded by
 * Selenium: its Selenium Manager is never asked, because both paths are given explicitly.
 *
 * <p>When a tool is missing the tests are skipped, so {@code ./mvnw verify} still passes on a machine
 * with only a JDK; with {@code CI=true} they fail instead, so CI cannot pass without running them.
 * When axe-core is not installed but {@code npm} is on the PATH, {@code npm ci} installs it (from the
 * committed lock file) once per JVM.
 */
record Tools(Path chromium, Path chromedriver, Path axe) {

    /** The npm project holding axe-core, relative to the server module (surefire's working directory). */
    static final Path NPM_DIR = Path.of("src", "test", "browser");

    private static final Path AXE = NPM_DIR.resolve("node_modules/axe-core/axe.min.js");
    private static Tools found;
    private static List<String> missing;

    /** The tools, or a skipped test (a failed one when {@code CI=true}) that says what is missing. */
    static synchronized Tools require() {
        if (found == null && missing == null) {
            locate();
        }
        if (!missing.isEmpty()) {
            String message = "browser tests need " + String.join("; ", missing)
                    + " (.ci/run installs them: apt-get install chromium chromium-driver; npm ci in server/src/test/browser)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true, so the browser tests must run, but: " + message);
            }
            Assumptions.abort(message);
        }
        return found;
    }

    private static void locate() {
        missing = new ArrayList<>();
        Optional<Path> chromium = executable("otpgate.chromium", "chromium", "chromium-browser");
        Optional<Path> driver = executable("webdriver.chrome.driver", "chromedriver");
        if (chromium.isEmpty()) {
            missing.add("Chromium (Debian package chromium) on the PATH or -Dotpgate.chromium=PATH");
        }
        if (driver.isEmpty()) {
            missing.add("chromedriver (Debian package chromium-driver) on the PATH or -Dwebdriver.chrome.driver=PATH");
        }
        Optional<Path> axe = installedAxe();
        if (axe.isEmpty()) {
            missing.add("axe-core at server/" + AXE + " (run npm ci in server/src/test/browser)");
        }
        if (missing.isEmpty()) {
            found = new Tools(chromium.get(), driver.get(), axe.get());
        }
    }

    /** A system property naming the file, else the first of {@code names} found on the PATH. */
    private static Optional<Path> executable(String property, String... names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin");
        return Stream.of(names)
                .flatMap(name ->
                        Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Optional<Path> installedAxe() {
        if (!Files.isRegularFile(AXE) && executable("otpgate.npm", "npm").isPresent()) {
            npmCi();
        }
        return Optional.of(AXE.toAbsolutePath()).filter(Files::isRegularFile);
    }

    private static void npmCi() {
        try {
            Files.createDirectories(Path.of("target"));
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(NPM_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "npm-ci.log").toFile())
                    .start();
            if (!npm.waitFor(3, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
            }
        } catch (IOException e) {
            // reported as missing axe-core, with the command to run by hand
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
