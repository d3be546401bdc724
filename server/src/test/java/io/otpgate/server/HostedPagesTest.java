package io.otpgate.server;

import static io.otpgate.server.ServerSettingsFixture.withIpLimits;
import static io.otpgate.server.ServerSettingsFixture.withRedirectUris;
import static io.otpgate.server.ServerSettingsFixture.withTrustedProxies;
import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.policy.Policy;
import io.otpgate.jdbc.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosted pages over real HTTP, as a browser without JavaScript uses them; run on each database
 * by {@code HostedPagesOn…Test}.
 */
abstract class HostedPagesTest {

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    private ServiceFixture service;
    private PageClient browser;

    HostedPagesTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private void serve(UnaryOperator<ServerSettings> settings) {
        service = new ServiceFixture(kind, dir, Policy.defaults(), settings);
        browser = new PageClient(service.server.port());
    }

    private void serve() {
        serve(s -> s);
    }

    /** Fills in the start page and returns the code page's path. */
    private String startAs(String email) {
        PageClient.Page start = browser.get("/");
        PageClient.Page started = browser.post("/start", "email", email, "name", "Ada", "csrf", start.csrf());
        assertThat(started.status()).isEqualTo(303);
        assertThat(started.location()).startsWith("/verify/ver_");
        return started.location();
    }

    private static String idOf(String codePath) {
        return codePath.replaceFirst("^/verify/", "").replaceFirst("[/?].*$", "");
    }

    private PageClient.Page submitCode(String codePath, String code) {
        PageClient.Page page = browser.get(codePath);
        return browser.post(codePath.replaceFirst("\\?.*$", ""), "code", code, "csrf", page.csrf());
    }

    private String status(String id) {
        return service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + id)
                .json()
                .get("status")
                .asText();
    }

    @Test
    void aPersonVerifiesTheirAddressFromStartToDone() {
        serve();
        PageClient.Page start = browser.get("/");
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.tag("email")).contains("type=\"email\"", "autocomplete=\"email\"", "required");
        assertThat(start.tag("name")).contains("autocomplete=\"name\"");
        assertThat(start.body()).contains("id=\"submit\"");

        String codePath = startAs("ada@example.com");
        PageClient.Page codePage = browser.get(codePath);
        assertThat(codePage.tag("code"))
                .contains(
                        "autocomplete=\"one-time-code\"",
                        "inputmode=\"numeric\"",
                        "maxlength=\"12\"",
                        "pattern=\"[\\s\\p{Pd}\\u2212\\u200e\\u200f\\u061c]*(?:\\p{Nd}[\\s\\p{Pd}\\u2212\\u200e\\u200f\\u061c]*){6}\"");
        assertThat(codePage.text("attempts"))
                .hasValueSatisfying(t -> assertThat(t).contains("3"));
        assertThat(codePage.body()).contains("a***@example.com");

        String code = service.codeFor("ada@example.com", 1);
        PageClient.Page checked = submitCode(codePath, code);
        assertThat(checked.status()).isEqualTo(303);
        assertThat(checked.location()).isEqualTo(codePath + "/done");

        PageClient.Page done = browser.get(checked.location());
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("success")).isPresent();
        assertThat(status(idOf(codePath))).isEqualTo("approved");
    }

    @Test
    void aPastedCodeWithSpacesOrDashesWorks() {
        serve();
        String codePath = startAs("paste@example.com");
        String code = service.codeFor("paste@example.com", 1);
        PageClient.Page checked = submitCode(codePath, " " + code.substring(0, 3) + "\u2013" + code.substring(3) + " ");
        assertThat(checked.status()).isEqualTo(303);
    }

    @Test
    void aCodeInArabicIndicDigitsWithANoBreakSpaceWorksAsInTheApi() {
        serve();
        String codePath = startAs("arabic@example.com");
        String code = service.codeFor("arabic@example.com", 1);
        String typed = ApiContractTest.arabicIndic(code.substring(0, 3)) + "\u00A0"
                + ApiContractTest.arabicIndic(code.substring(3));

        PageClient.Page checked = submitCode(codePath, typed);

        assertThat(checked.status()).isEqualTo(303);
        assertThat(status(idOf(codePath))).isEqualTo("approved");
    }

    @Test
    void theCodeFieldLeavesRoomForTheSeparatorsOfAPastedCode() {
        serve();
        String codePath = startAs("room@example.com");
        String code = service.codeFor("room@example.com", 1);
        String spaced = code.substring(0, 3) + " " + code.substring(3);
        String field = browser.get(codePath).tag("code");
        int maxlength = Integer.parseInt(field.replaceFirst(".*maxlength=\"(\\d+)\".*", "$1"));
        String pattern = PageClient.unescape(field.replaceFirst(".*pattern=\"([^\"]*)\".*", "$1"));

        assertThat(spaced.length()).isLessThanOrEqualTo(maxlength);
        assertThat(spaced).matches(pattern);
        assertThat(code.substring(0, 3) + "-" + code.substring(3)).matches(pattern);
        assertThat("12345").doesNotMatch(pattern);
        assertThat(submitCode(codePath, spaced).status()).isEqualTo(303);
    }

    @Test
    void aWrongCodeSaysHowManyAttemptsAreLeft() {
        serve();
        String codePath = startAs("wrong@example.com");
        String code = service.codeFor("wrong@example.com", 1);
        PageClient.Page wrong = submitCode(codePath, code.equals("000000") ? "111111" : "000000");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.tag("message")).contains("role=\"alert\"");
        assertThat(wrong.text("message")).hasValueSatisfying(t -> assertThat(t).contains("2 attempts left"));
        assertThat(wrong.text("attempts")).hasValueSatisfying(t -> assertThat(t).startsWith("2"));
        assertThat(wrong.tag("code")).contains("aria-invalid=\"true\"");
    }

    @Test
    void aMalformedCodeIsExplainedAndCostsNoAttempt() {
        serve();
        String codePath = startAs("typo@example.com");
        PageClient.Page typo = submitCode(codePath, "12345");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.text("message")).hasValueSatisfying(t -> assertThat(t).contains("6 digits"));
        assertThat(typo.text("attempts")).hasValueSatisfying(t -> assertThat(t).startsWith("3"));
    }

    @Test
    void theLastWrongCodeLocksTheVerification() {
        serve();
        String codePath = startAs("exhaust@example.com");
        String code = service.codeFor("exhaust@example.com", 1);
        String wrong = code.equals("000000") ? "111111" : "000000";
        submitCode(codePath, wrong);
        submitCode(codePath, wrong);
        PageClient.Page last = submitCode(codePath, wrong);
        assertThat(last.status()).isEqualTo(403);
        assertThat(last.text("message")).hasValueSatisfying(t -> assertThat(t).contains("Too many wrong codes"));
        assertThat(last.body()).doesNotContain("id=\"code\"");

        PageClient.Page after = browser.get(codePath);
        assertThat(after.text("message")).hasValueSatisfying(t -> assertThat(t).contains("Too many wrong codes"));
        assertThat(status(idOf(codePath))).isEqualTo("failed");
    }

    @Test
    void anExpiredCodeIsRefusedWithAClearMessage() {
        serve();
        String codePath = startAs("late@example.com");
        String code = service.codeFor("late@example.com", 1);
        PageClient.Page page = browser.get(codePath);
        service.clock.advance(Duration.ofMinutes(11));
        PageClient.Page late = browser.post(codePath, "code", code, "csrf", page.csrf());
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.text("message")).hasValueSatisfying(t -> assertThat(t).contains("expired"));
        assertThat(status(idOf(codePath))).isEqualTo("expired");
    }

    @Test
    void resendWaitsForTheCooldownThenSendsANewCode() {
        serve();
        String codePath = startAs("again@example.com");
        service.codeFor("again@example.com", 1);
        PageClient.Page page = browser.get(codePath);
        assertThat(page.tag("countdown")).contains("data-resend-at=\"2026-03-01T12:00:30Z\"", "aria-live=\"polite\"");
        assertThat(page.tag("resend")).doesNotContain("disabled"); // without JavaScript it must work

        PageClient.Page early = browser.post(codePath + "/resend", "csrf", page.csrf());
        assertThat(early.status()).isEqualTo(429);
        assertThat(early.header("Retry-After")).isEqualTo("30");
        assertThat(early.text("message")).hasValueSatisfying(t -> assertThat(t).contains("wait 30 seconds"));

        service.clock.advance(Duration.ofSeconds(31));
        PageClient.Page resent = browser.post(codePath + "/resend", "csrf", page.csrf());
        assertThat(resent.status()).isEqualTo(303);
        assertThat(resent.location()).isEqualTo(codePath + "?sent=1");
        String second = service.codeFor("again@example.com", 2);
        PageClient.Page after = browser.get(resent.location());
        assertThat(after.text("message")).hasValueSatisfying(t -> assertThat(t).contains("new code"));
        assertThat(submitCode(codePath, second).status()).isEqualTo(303);
    }

    @Test
    void aPostWithoutTheCsrfFieldIsRefusedAndStartsNothing() {
        serve();
        browser.get("/");
        PageClient.Page refused = browser.post("/start", "email", "forged@example.com");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.tag("message")).contains("role=\"alert\"");
        assertThat(refused.tag("email")).contains("value=\"forged@example.com\"");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void aWrongCsrfFieldOrAMissingCookieIsRefused() {
        serve();
        String csrf = browser.get("/").csrf();
        assertThat(browser.post("/start", "email", "a@example.com", "csrf", csrf + "x")
                        .status())
                .isEqualTo(403);
        PageClient stranger = new PageClient(service.server.port());
        assertThat(stranger.post("/start", "email", "a@example.com", "csrf", csrf)
                        .status())
                .isEqualTo(403);
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void aCrossSiteFormIsRefusedEvenWithAValidField() {
        serve();
        String csrf = browser.get("/").csrf();
        assertThat(browser.post(
                                "/start",
                                "email",
                                "a@example.com",
                                "csrf",
                                csrf,
                                "--",
                                "Origin",
                                "https://evil.example")
                        .status())
                .isEqualTo(403);
        assertThat(browser.post("/start", "email", "a@example.com", "csrf", csrf, "--", "Origin", "null")
                        .status())
                .isEqualTo(403);
        assertThat(browser.post("/start", "email", "a@example.com", "csrf", csrf, "--", "Sec-Fetch-Site", "cross-site")
                        .status())
                .isEqualTo(403);
        assertThat(service.mailbox.messages()).isEmpty();
        String origin = "http://127.0.0.1:" + service.server.port();
        assertThat(browser.post(
                                "/start",
                                "email",
                                "a@example.com",
                                "csrf",
                                csrf,
                                "--",
                                "Origin",
                                origin,
                                "Sec-Fetch-Site",
                                "same-origin")
                        .status())
                .isEqualTo(303);
    }

    @Test
    void checksNeedTheCsrfFieldToo() {
        serve();
        String codePath = startAs("check-csrf@example.com");
        String code = service.codeFor("check-csrf@example.com", 1);
        assertThat(browser.post(codePath, "code", code).status()).isEqualTo(403);
        assertThat(browser.post(codePath + "/resend").status()).isEqualTo(403);
        assertThat(status(idOf(codePath))).isEqualTo("pending");
    }

    @Test
    void startsPerClientIpAreLimited() {
        serve(s -> withIpLimits(s, 2, 60));
        startAs("one@example.com");
        startAs("two@example.com");
        String csrf = browser.get("/").csrf();
        PageClient.Page limited = browser.post("/start", "email", "three@example.com", "csrf", csrf);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(limited.text("message"))
                .hasValueSatisfying(t -> assertThat(t).contains("Too many attempts"));
        assertThat(service.mailbox.messages().stream()
                        .filter(m -> m.to().value().startsWith("three")))
                .isEmpty();
    }

    @Test
    void behindATrustedProxyAClientCannotChooseItsIpWithAForwardedForLineOfItsOwn() {
        serve(s -> withIpLimits(withTrustedProxies(s, List.of("127.0.0.1")), 1, 60));
        String csrf = browser.get("/").csrf();
        // The client sends a line of its own; the proxy adds the address it saw as a second line.
        PageClient.Page first = browser.post(
                "/start",
                "email",
                "first@example.com",
                "csrf",
                csrf,
                "--",
                "X-Forwarded-For",
                "203.0.113.1",
                "X-Forwarded-For",
                "198.51.100.7");
        PageClient.Page second = browser.post(
                "/start",
                "email",
                "second@example.com",
                "csrf",
                csrf,
                "--",
                "X-Forwarded-For",
                "203.0.113.2",
                "X-Forwarded-For",
                "198.51.100.7");

        assertThat(first.status()).isEqualTo(303);
        assertThat(second.status()).isEqualTo(429);
    }

    @Test
    void checksPerClientIpAreLimited() {
        serve(s -> withIpLimits(s, 30, 2));
        String codePath = startAs("limit@example.com");
        String code = service.codeFor("limit@example.com", 1);
        submitCode(codePath, "12345");
        submitCode(codePath, "12345");
        PageClient.Page limited = submitCode(codePath, code);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(status(idOf(codePath))).isEqualTo("pending");
    }

    @Test
    void openingTheEmailLinkChangesNothingAndItsButtonApproves() {
        serve();
        String codePath = startAs("link@example.com");
        String id = idOf(codePath);
        String code = service.codeFor("link@example.com", 1);
        String link = "/confirm/" + id + "/"
                + service.linkTokens.issue(new VerificationId(id), OneTimeCode.of(code.toCharArray()));

        PageClient scanner = new PageClient(service.server.port());
        PageClient.Page opened = scanner.get(link);
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.tag("confirm")).contains("type=\"submit\"");
        assertThat(scanner.get(link).status()).isEqualTo(200);
        var v = service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + id).json();
        assertThat(v.get("status").asText()).isEqualTo("pending");
        assertThat(v.get("attempts_remaining").asInt()).isEqualTo(3);

        PageClient.Page confirmed = scanner.post(link, "csrf", opened.csrf());
        assertThat(confirmed.status()).isEqualTo(303);
        assertThat(confirmed.location()).isEqualTo("/verify/" + id + "/done");
        assertThat(status(id)).isEqualTo("approved");
    }

    @Test
    void aLinkFromBeforeAResendNoLongerApproves() {
        serve();
        String codePath = startAs("stale@example.com");
        String id = idOf(codePath);
        String first = service.codeFor("stale@example.com", 1);
        String link = "/confirm/" + id + "/"
                + service.linkTokens.issue(new VerificationId(id), OneTimeCode.of(first.toCharArray()));
        service.clock.advance(Duration.ofSeconds(31));
        String csrf = browser.get(codePath).csrf();
        assertThat(browser.post(codePath + "/resend", "csrf", csrf).status()).isEqualTo(303);
        service.codeFor("stale@example.com", 2);

        PageClient.Page opened = browser.get(link);
        PageClient.Page refused = browser.post(link, "csrf", opened.csrf());
        assertThat(refused.status()).isEqualTo(410);
        assertThat(refused.text("message"))
                .hasValueSatisfying(t -> assertThat(t).contains("no longer works"));
        assertThat(refused.body()).contains("href=\"/verify/" + id + "\"");
        assertThat(status(id)).isEqualTo("pending");
    }

    @Test
    void aTamperedLinkIsRefusedWithALinkToTheCodePage() {
        serve();
        String id = idOf(startAs("tamper@example.com"));
        PageClient.Page opened = browser.get("/confirm/" + id + "/" + "A".repeat(60));
        assertThat(opened.status()).isEqualTo(400);
        assertThat(opened.body()).doesNotContain("id=\"confirm\"").contains("href=\"/verify/" + id + "\"");
        assertThat(browser.get("/confirm/ver_nope/xyz").status()).isEqualTo(404);
    }

    @Test
    void anAllowedRedirectUriGetsThePersonBackWithTheVerificationIdAndState() {
        serve(s -> withRedirectUris(s, List.of("https://app.example/callback")));
        String query = "?redirect_uri=" + PageClient.enc("https://app.example/callback?from=signup") + "&state=s%20t";
        PageClient.Page start = browser.get("/" + query);
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.body())
                .contains(
                        "name=\"redirect_uri\" value=\"https://app.example/callback?from=signup\"",
                        "name=\"state\" value=\"s t\"");
        PageClient.Page started = browser.post(
                "/start",
                "email",
                "back@example.com",
                "csrf",
                start.csrf(),
                "redirect_uri",
                "https://app.example/callback?from=signup",
                "state",
                "s t");
        assertThat(started.location()).contains("redirect_uri=").contains("state=s+t");
        String codePath = started.location();
        PageClient.Page codePage = browser.get(codePath);
        assertThat(codePage.header("Content-Security-Policy")).contains("form-action 'self' https://app.example;");

        String code = service.codeFor("back@example.com", 1);
        PageClient.Page checked = browser.post(
                codePath.replaceFirst("\\?.*$", ""),
                "code",
                code,
                "csrf",
                codePage.csrf(),
                "redirect_uri",
                "https://app.example/callback?from=signup",
                "state",
                "s t");
        assertThat(checked.status()).isEqualTo(303);
        assertThat(checked.location())
                .isEqualTo("https://app.example/callback?from=signup&verification_id=" + idOf(codePath) + "&state=s+t");
    }

    @Test
    void aRedirectUriOutsideTheAllowListIsRefused() {
        serve(s -> withRedirectUris(s, List.of("https://app.example/callback", "https://app.example/return/")));
        for (String uri : List.of(
                "https://evil.example/callback",
                "http://app.example/callback",
                "https://app.example/callback/extra",
                "https://app.example:8443/callback",
                "https://user@app.example/callback",
                "https://app.example/callback#x",
                "https://app.example/return/../admin",
                "javascript:alert(1)")) {
            PageClient.Page page = browser.get("/?redirect_uri=" + PageClient.enc(uri));
            assertThat(page.status()).as(uri).isEqualTo(400);
            assertThat(page.body()).as(uri).doesNotContain("id=\"email\"");
        }
        assertThat(browser.get("/?redirect_uri=" + PageClient.enc("https://app.example/return/deep/ok"))
                        .status())
                .isEqualTo(200);
        String csrf = browser.get("/").csrf();
        PageClient.Page forged =
                browser.post("/start", "email", "x@example.com", "csrf", csrf, "redirect_uri", "https://evil.example/");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(service.mailbox.messages()).isEmpty();
    }

    /** Finding 18 of issue 11: the pages are for the person verifying an address, not for operators. */
    @Test
    void noEndUserPageLinksToAnOperatorEndpoint() {
        serve();
        String codePath = startAs("ops@example.com");
        String id = idOf(codePath);
        for (PageClient.Page page : List.of(
                browser.get("/"),
                browser.get(codePath),
                browser.get("/confirm/" + id + "/" + "A".repeat(60)),
                browser.get("/verify/ver_nope"),
                browser.get("/?redirect_uri=https%3A%2F%2Fevil.example%2F"))) {
            assertThat(page.body()).doesNotContain("/metrics", "/health", "/openapi.json", "/v1/");
        }
    }

    /** Finding 15 of issue 11: the app would get two verification_ids, and might read the planted one. */
    @Test
    void aRedirectUriCarryingItsOwnVerificationIdOrStateIsRefused() {
        serve(s -> withRedirectUris(s, List.of("https://app.example/callback")));
        for (String uri : List.of(
                "https://app.example/callback?verification_id=ver_planted",
                "https://app.example/callback?from=a&State=planted",
                "https://app.example/callback?verification%5Fid=ver_planted")) {
            PageClient.Page page = browser.get("/?redirect_uri=" + PageClient.enc(uri) + "&state=s");
            assertThat(page.status()).as(uri).isEqualTo(400);
            assertThat(page.body()).as(uri).doesNotContain("id=\"email\"");
            String csrf = browser.get("/").csrf();
            PageClient.Page forged = browser.post(
                    "/start", "email", "planted@example.com", "csrf", csrf, "redirect_uri", uri, "state", "s");
            assertThat(forged.status()).as(uri).isEqualTo(400);
        }
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void withoutAnAllowListEveryRedirectUriIsRefused() {
        serve();
        assertThat(browser.get("/?redirect_uri=" + PageClient.enc("http://localhost:3000/cb"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void hostileNamesAndAddressesAreRefusedWithoutSideEffects() {
        serve();
        String csrf = browser.get("/").csrf();
        PageClient.Page injectedName =
                browser.post("/start", "email", "ok@example.com", "name", "Ada\r\nBcc: x@evil.example", "csrf", csrf);
        assertThat(injectedName.status()).isEqualTo(400);
        PageClient.Page injectedEmail =
                browser.post("/start", "email", "ok@example.com\r\nBcc: x@evil.example", "csrf", csrf);
        assertThat(injectedEmail.status()).isEqualTo(400);
        PageClient.Page list = browser.post("/start", "email", "a@example.com, b@example.com", "csrf", csrf);
        assertThat(list.status()).isEqualTo(400);
        PageClient.Page huge = browser.post("/start", "email", "a".repeat(100_000) + "@example.com", "csrf", csrf);
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body().length()).isLessThan(20_000);
        PageClient.Page script = browser.post("/start", "email", "\"><script>alert(1)</script>", "csrf", csrf);
        assertThat(script.status()).isEqualTo(400);
        assertThat(script.body()).doesNotContain("<script>alert").contains("&lt;script&gt;");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void unknownVerificationsGetAPageNotJson() {
        serve();
        PageClient.Page page = browser.get("/verify/ver_00000000000000000000000000");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(browser.get("/verify/nonsense/done").status()).isEqualTo(404);
    }

    @Test
    void pagesAndAssetsCarryTheirOwnSecurityAndCacheHeaders() {
        serve();
        PageClient.Page page = browser.get("/");
        assertThat(page.header("Content-Security-Policy"))
                .isEqualTo(
                        "default-src 'none'; style-src 'self'; "
                                + "script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.body()).doesNotContain("<style", "style=\"", "<script>", "onclick");
        PageClient.Page css = browser.get("/assets/pages.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.header("Cache-Control")).contains("max-age");
        assertThat(browser.get("/assets/pages.js").header("Content-Type")).startsWith("text/javascript");
        assertThat(browser.get("/assets/other.js").status()).isEqualTo(404);
        assertThat(service.get("/v1/verifications/ver_00000000000000000000000000")
                        .header("Content-Security-Policy"))
                .startsWith("default-src 'none'");
    }

    @Test
    void inDevModeTheStartAndCodePagesLinkToTheMailbox() {
        serve();
        assertThat(browser.get("/").tag("dev-mailbox")).contains("href=\"/dev/mailbox\"");
        assertThat(browser.get(startAs("dev@example.com")).tag("dev-mailbox")).contains("href=\"/dev/mailbox\"");
    }
}
