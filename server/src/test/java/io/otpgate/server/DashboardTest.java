package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.policy.Policy;
import io.otpgate.server.pages.DashboardSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics dashboard over real HTTP: sign-in with a read-only key only, a session cookie that
 * cannot be forged or stretched, one tenant's figures and never another's, sign-out.
 */
class DashboardTest {

    @TempDir
    Path dir;

    ServiceFixture service;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir);
        service.start("ada@example.com");
        service.start("bob@gmail.com");
        service.post(ServiceFixture.OTHER_KEY, "/v1/verifications", "{\"email\":\"carol@other.example\"}");
        service.database.rollup().rollUp(service.clock.instant());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private PageClient signedIn(String key) {
        PageClient browser = new PageClient(service.server.port());
        PageClient.Page form = browser.get("/dashboard");
        PageClient.Page signIn = browser.post("/dashboard/sign-in", "key", key, "csrf", form.csrf());
        assertThat(signIn.status()).as(signIn.body()).isEqualTo(303);
        assertThat(signIn.location()).isEqualTo("/dashboard");
        return browser;
    }

    @Test
    void aReadOnlyKeySignsInToItsOwnTenantsFiguresOnly() {
        PageClient browser = new PageClient(service.server.port());
        PageClient.Page form = browser.get("/dashboard");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("Read-only API key").doesNotContain("example.com");

        PageClient.Page signIn =
                browser.post("/dashboard/sign-in", "key", ServiceFixture.READ_KEY, "csrf", form.csrf());
        String cookie = signIn.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(DashboardSession.COOKIE + "="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie)
                .contains("HttpOnly", "SameSite=Strict", "Path=/dashboard", "Max-Age=28800")
                .doesNotContain("Secure")
                .doesNotContain(ServiceFixture.READ_KEY);

        PageClient.Page mine = browser.get("/dashboard");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body())
                .contains("Analytics of <span class=\"tenant\">default</span>")
                .contains("example.com", "gmail.com")
                .doesNotContain("other.example")
                .contains("role=\"img\"", "<title id=\"funnel-title\">", "<desc id=\"funnel-desc\">", "<table>")
                .doesNotContain("<script");
        assertThat(mine.header("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'")
                .doesNotContain("unsafe-inline");

        PageClient.Page theirs = signedIn(ServiceFixture.OTHER_READ_KEY).get("/dashboard?since=1h");
        assertThat(theirs.body())
                .contains("other.example")
                .doesNotContain("example.com")
                .doesNotContain("gmail.com");
    }

    @Test
    void aKeyOfFullScopeAnUnknownKeyAndAFormWithoutCsrfGetNoSession() {
        PageClient browser = new PageClient(service.server.port());
        String csrf = browser.get("/dashboard").csrf();

        PageClient.Page full = browser.post("/dashboard/sign-in", "key", ServiceFixture.KEY, "csrf", csrf);
        PageClient.Page unknown = browser.post("/dashboard/sign-in", "key", "otpk_not_a_key", "csrf", csrf);
        PageClient.Page forged = browser.post("/dashboard/sign-in", "key", ServiceFixture.READ_KEY, "csrf", "x" + csrf);

        assertThat(full.status()).isEqualTo(403);
        assertThat(full.body()).contains("read-only key");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(browser.cookie(DashboardSession.COOKIE)).isEmpty();
        assertThat(browser.get("/dashboard").body())
                .contains("Read-only API key")
                .doesNotContain("gmail.com");
    }

    @Test
    void aCookieChangedToAnotherTenantOrPastItsEndIsRefused() {
        PageClient browser = signedIn(ServiceFixture.READ_KEY);
        String cookie = browser.cookie(DashboardSession.COOKIE).orElseThrow();
        String payload = new String(
                Base64.getUrlDecoder().decode(cookie.substring(0, cookie.indexOf('.'))), StandardCharsets.UTF_8);
        assertThat(payload).startsWith("key_read\ndefault\n");
        String otherTenant = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                payload.replace("\ndefault\n", "\nglobex\n").getBytes(StandardCharsets.UTF_8))
                + cookie.substring(cookie.indexOf('.'));

        PageClient stranger = new PageClient(service.server.port());
        assertThat(stranger.get("/dashboard", "Cookie", DashboardSession.COOKIE + "=" + otherTenant)
                        .body())
                .contains("Read-only API key")
                .doesNotContain("other.example");
        assertThat(stranger.get("/dashboard", "Cookie", DashboardSession.COOKIE + "=" + cookie + "x")
                        .body())
                .contains("Read-only API key");
        assertThat(browser.get("/dashboard").body()).contains("gmail.com");

        service.clock.advance(DashboardSession.LIFETIME.plus(Duration.ofSeconds(1)));
        assertThat(browser.get("/dashboard").body())
                .contains("Read-only API key")
                .doesNotContain("gmail.com");
    }

    @Test
    void signingOutEndsTheSession() {
        PageClient browser = signedIn(ServiceFixture.READ_KEY);
        String csrf = browser.get("/dashboard").csrf();

        PageClient.Page out = browser.post("/dashboard/sign-out", "csrf", csrf);

        assertThat(out.status()).isEqualTo(303);
        assertThat(out.raw().headers().allValues("Set-Cookie"))
                .anySatisfy(c ->
                        assertThat(c).startsWith(DashboardSession.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(browser.get("/dashboard").body())
                .contains("Read-only API key")
                .doesNotContain("gmail.com");
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        PageClient browser = signedIn(ServiceFixture.READ_KEY);
        assertThat(browser.get("/dashboard").body()).contains("gmail.com");

        service.revokedKeys.add("key_read");

        assertThat(browser.get("/dashboard").body())
                .contains("Read-only API key")
                .doesNotContain("gmail.com");
    }

    @Test
    void withAnHttpsPublicUrlTheSessionCookieIsSecureAndThePagesOffLeaveTheDashboard() {
        service.close();
        service = new ServiceFixture(
                dir.resolve("secure"),
                Policy.defaults(),
                s -> ServerSettingsFixture.withPages(ServerSettingsFixture.withSecureCookies(s, true), false));
        PageClient browser = new PageClient(service.server.port());
        PageClient.Page form = browser.get("/dashboard");

        // Secure cookies are not sent back over plain HTTP: the test sends the CSRF cookie itself.
        String csrfCookie = form.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("otpgate_csrf="))
                .findFirst()
                .orElseThrow();
        PageClient.Page signIn = browser.post(
                "/dashboard/sign-in",
                "key",
                ServiceFixture.READ_KEY,
                "csrf",
                form.csrf(),
                "--",
                "Cookie",
                csrfCookie.substring(0, csrfCookie.indexOf(';')));

        assertThat(signIn.status()).isEqualTo(303);
        assertThat(signIn.raw().headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith(DashboardSession.COOKIE + "="))
                .singleElement()
                .satisfies(c -> assertThat(c).contains("Secure", "HttpOnly", "SameSite=Strict"));
    }

    @Test
    void thePeriodSwitcherMarksTheCurrentPeriodAndAnUnknownOneIsRefused() {
        PageClient browser = signedIn(ServiceFixture.READ_KEY);

        PageClient.Page week = browser.get("/dashboard?since=7d");
        PageClient.Page bad = browser.get("/dashboard?since=2h");

        assertThat(week.status()).isEqualTo(200);
        assertThat(week.body()).contains("<a href=\"/dashboard?since=7d\" aria-current=\"page\">7d</a>");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"", "since must be one of 1h, 24h, 7d, 30d");
    }
}
