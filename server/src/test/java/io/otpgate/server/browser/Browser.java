package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.server.ServiceFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One test's service and headless Chromium, as a JUnit extension: register it with
 * {@code @RegisterExtension}. Before each test it checks the {@link Tools} (skipping the test when
 * they are missing, failing it when {@code CI=true}) and starts the whole service ({@link
 * ServiceFixture}: SQLite file, dev mailbox, HTTP on a random port). The browser starts on first use,
 * so a test can first choose its language or turn JavaScript off. After each test the browser and
 * its driver are quit and the service closed, also when the test failed; a failing test leaves a
 * {@code failed} screenshot.
 *
 * <p>Screenshots go to {@code target/screenshots/<test>-<page>.png}, full page, for review.
 *
 * <p>The service's clock keeps time with the wall clock here ({@link MutableClock#ticking()}), because
 * the page's countdown runs on the browser's clock and the two must agree.
 */
final class Browser implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Logger log = LoggerFactory.getLogger(Browser.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * Selenium warns on every start that it has no CDP bindings for this exact Chromium; the tests use
     * only {@code executeCdpCommand}, which needs none. Held here so the setting is not collected.
     */
    private static final java.util.logging.Logger CDP_WARNINGS = quiet("org.openqa.selenium.devtools");

    private final Policy policy;

    private Tools tools;
    private Axe axe;
    private Path dir;
    private ServiceFixture service;
    private String test;
    private String language = "en-US";
    private boolean javascript = true;
    private ChromeDriverService driverService;
    private ChromeDriver driver;

    Browser(Policy policy) {
        this.policy = policy;
    }

    Browser() {
        this(Policy.defaults());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        tools = Tools.require();
        axe = new Axe(tools.axe());
        test = context.getRequiredTestMethod().getName();
        deleteScreenshots(test); // an earlier run's pictures of this test would pass for this run's
        dir = Files.createTempDirectory("otpgate-browser-");
        service = new ServiceFixture(DatabaseKind.SQLITE.fresh(dir), MutableClock.ticking(), policy, s -> s);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (driver != null) {
            try {
                screenshot("failed");
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            quit();
        } finally {
            try {
                if (service != null) {
                    service.close();
                }
            } finally {
                service = null;
                language = "en-US";
                javascript = true;
                deleteQuietly(dir);
            }
        }
    }

    /**
     * The languages the browser asks for, e.g. {@code fr-FR,fr} (its {@code Accept-Language}; the first
     * is also its UI language); before the first page.
     */
    Browser language(String tag) {
        requireNotStarted();
        this.language = tag;
        return this;
    }

    /** Turns JavaScript off in the pages, as a user may; before the first page. */
    Browser withoutJavaScript() {
        requireNotStarted();
        this.javascript = false;
        return this;
    }

    ServiceFixture service() {
        return service;
    }

    /** The verification as the API shows it ({@code GET /v1/verifications/{id}}). */
    JsonNode verification(String id) {
        return service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + id).json();
    }

    String url(String path) {
        return "http://127.0.0.1:" + service.server.port() + path;
    }

    /** Opens a path of the service, e.g. {@code /} or {@code /dev/mailbox}. */
    Browser open(String path) {
        driver().get(url(path));
        return this;
    }

    /** The path of the current page, without query. */
    String path() {
        return java.net.URI.create(driver().getCurrentUrl()).getPath();
    }

    WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /** Waits (polling, up to 10 s) until {@code condition} gives a non-null, non-false value. */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver(), WAIT, Duration.ofMillis(50)).until(condition::apply);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(js, args);
    }

    /** A screenshot of the whole page (beyond the window) to {@code target/screenshots/<test>-<page>.png}. */
    Path screenshot(String page) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of(
                "x",
                0,
                "y",
                0,
                "scale",
                1,
                "width",
                ((Number) size.get("width")).doubleValue(),
                "height",
                ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Path file = SCREENSHOTS.resolve(test + "-" + page + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Fails, listing every violation and its elements, when axe finds a moderate, serious or critical
     * one; logs the minor ones.
     */
    void assertAccessible(String page) {
        List<Axe.Violation> violations = axe.run(driver());
        String all = violations.stream().map(Axe.Violation::toString).collect(Collectors.joining("\n"));
        if (!violations.isEmpty()) {
            log.info(
                    "axe on {} page {} ({}): {} violation(s)\n{}",
                    test,
                    page,
                    driver().getCurrentUrl(),
                    violations.size(),
                    all);
        }
        assertThat(violations.stream().filter(Axe.Violation::blocking).toList())
                .as(
                        "axe: moderate, serious or critical violations on the %s page (%s); all violations:\n%s",
                        page, driver().getCurrentUrl(), all)
                .isEmpty();
    }

    /**
     * A screenshot, then the axe check: what every page the tests walk through gets. With the page's
     * JavaScript off axe cannot finish (it waits on the page's timers); those pages are the same
     * markup, checked where JavaScript is on.
     */
    void review(String page) {
        screenshot(page);
        if (javascript) {
            assertAccessible(page);
        }
    }

    /** Whether a page's own scripts run in this browser; navigates to a blank page to find out. */
    boolean pagesRunJavaScript() {
        driver().get("data:text/html,<title>off</title><script>document.title='on'</script>");
        return driver().getTitle().equals("on");
    }

    /** The newest email to {@code to}, once there are {@code count} of them. */
    CapturedEmail awaitEmail(String to, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<CapturedEmail> emails = service.mailbox.messages().stream()
                    .filter(m -> m.to().value().equals(to))
                    .toList();
            if (emails.size() >= count) {
                return emails.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " email(s) to " + to + ", got " + emails.size());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    WebDriver driver() {
        if (driver == null) {
            start();
        }
        return driver;
    }

    private void start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(tools.chromium().toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--hide-scrollbars",
                "--lang=" + language.split(",")[0],
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions");
        options.setExperimentalOption(
                "prefs",
                javascript
                        ? Map.of("intl.accept_languages", language)
                        : Map.of(
                                "intl.accept_languages",
                                language,
                                "profile.managed_default_content_settings.javascript",
                                2));
        // The driver is given by path, so Selenium Manager is never asked to find or download one.
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(tools.chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(driverService, options);
    }

    private void requireNotStarted() {
        if (driver != null) {
            throw new IllegalStateException("choose the browser's settings before opening the first page");
        }
    }

    private void quit() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (driverService != null) {
                driverService.stop(); // no-op once quit() has stopped it; kills a driver that did not quit
                driverService = null;
            }
        }
    }

    private static void deleteScreenshots(String test) throws IOException {
        if (Files.isDirectory(SCREENSHOTS)) {
            try (Stream<Path> files = Files.list(SCREENSHOTS)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(test + "-"))
                        .toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private static void deleteQuietly(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
