package io.otpgate.server;

import static io.otpgate.server.ServerSettingsFixture.withRedirectUris;
import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The branches of the page templates the main flow does not take: letters, no resend left, a way back. */
class CodePageVariantsTest {

    private static final String CALLBACK = "https://app.example/callback?from=signup";

    @Test
    void anAlphanumericCodeGetsATextKeyboardAndNoDigitPattern(@TempDir Path dir) {
        Policy letters = new Policy(
                8,
                Alphabet.ALPHANUMERIC,
                Duration.ofMinutes(10),
                3,
                5,
                Duration.ofSeconds(30),
                10,
                20,
                Duration.ofHours(1));
        try (ServiceFixture service = new ServiceFixture(dir, letters, s -> s)) {
            PageClient browser = new PageClient(service.server.port());

            String code = browser.get(started(browser, "letters@example.com")).tag("code");

            assertThat(code)
                    .contains("inputmode=\"text\"", "autocapitalize=\"off\"", "maxlength=\"16\"")
                    .doesNotContain("pattern=", "numeric");
        }
    }

    @Test
    void withNoSendLeftThePageSaysSoInsteadOfOfferingAResend(@TempDir Path dir) {
        Policy oneSend = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 1, Duration.ofSeconds(30), 10, 20, Duration.ofHours(1));
        try (ServiceFixture service = new ServiceFixture(dir, oneSend, s -> s)) {
            PageClient browser = new PageClient(service.server.port());

            PageClient.Page page = browser.get(started(browser, "once@example.com"));

            assertThat(page.body())
                    .doesNotContain("id=\"resend\"")
                    .contains("<div class=\"resend\"><p id=\"countdown\"");
            assertThat(page.text("countdown")).isPresent();
            assertThat(page.tag("countdown")).doesNotContain("data-resend-at");
        }
    }

    @Test
    void theDonePageLeadsBackToTheAppWithTheIdAndState(@TempDir Path dir) {
        try (ServiceFixture service = new ServiceFixture(
                dir, Policy.defaults(), s -> withRedirectUris(s, List.of("https://app.example/callback")))) {
            PageClient browser = new PageClient(service.server.port());
            String query = "redirect_uri=" + PageClient.enc(CALLBACK) + "&state=" + PageClient.enc("s\"t<");
            String codePath = browser.post(
                            "/start",
                            "email",
                            "back@example.com",
                            "csrf",
                            browser.get("/?" + query).csrf(),
                            "redirect_uri",
                            CALLBACK,
                            "state",
                            "s\"t<")
                    .location();
            String id = codePath.replaceFirst("^/verify/", "").replaceFirst("[/?].*$", "");
            String code = service.codeFor("back@example.com", 1);
            browser.post(
                    "/verify/" + id, "code", code, "csrf", browser.get(codePath).csrf());

            PageClient.Page done = browser.get("/verify/" + id + "/done?" + query);

            assertThat(done.tag("continue"))
                    .contains("href=\"https://app.example/callback?from=signup&amp;verification_id=" + id
                            + "&amp;state=s%22t%3C\"");
        }
    }

    private static String started(PageClient browser, String email) {
        PageClient.Page start = browser.get("/");
        return browser.post("/start", "email", email, "name", "", "csrf", start.csrf())
                .location();
    }
}
