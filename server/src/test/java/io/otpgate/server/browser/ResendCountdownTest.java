package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** The code page's resend button waits out the cooldown with a live countdown. */
class ResendCountdownTest {

    private static final Duration COOLDOWN = Duration.ofSeconds(3);

    @RegisterExtension
    final Browser browser = new Browser(
            new Policy(6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, COOLDOWN, 10, 20, Duration.ofHours(1)));

    final Visitor visitor = new Visitor(browser);

    @Test
    void countdownMatchesResendAvailableAtAndEnablesResendAtZero() {
        browser.open("/");
        String id = visitor.start("ada@example.com", null);
        browser.awaitEmail("ada@example.com", 1);

        WebElement countdown = browser.find("#countdown");
        Instant resendAt = Instant.parse(countdown.getAttribute("data-resend-at"));
        assertThat(resendAt)
                .isEqualTo(Instant.parse(
                        browser.verification(id).get("resend_available_at").asText()));
        assertThat(browser.find("#resend").isEnabled()).isFalse();
        assertShowsSecondsLeftUntil(resendAt);
        browser.review("countdown");

        browser.await(d -> browser.find("#resend").isEnabled());

        // Judged on the page's own clock, the one its countdown runs on.
        assertThat(pageNowMillis()).isGreaterThanOrEqualTo(resendAt.toEpochMilli() - 1_000);
        browser.review("resend-ready");
        browser.find("#resend").click();

        browser.awaitEmail("ada@example.com", 2);
        browser.await(d -> Instant.parse(browser.find("#countdown").getAttribute("data-resend-at"))
                .isAfter(resendAt));
        assertThat(browser.find("#resend").isEnabled()).isFalse();
    }

    /**
     * The time shown ("0:03") is what is left until {@code resendAt} on the page's clock, within a
     * second, and never more than the page was rendered with ({@code data-now}).
     */
    private void assertShowsSecondsLeftUntil(Instant resendAt) {
        WebElement countdown = browser.find("#countdown");
        Instant renderedAt = Instant.parse(countdown.getAttribute("data-now"));
        long before = pageNowMillis();
        long shown = seconds(countdown.getText());
        long after = pageNowMillis();

        assertThat(shown).isBetween(1L, (Duration.between(renderedAt, resendAt).toMillis() + 999) / 1000);
        long latest = (resendAt.toEpochMilli() - before + 999) / 1000;
        long earliest = (resendAt.toEpochMilli() - after + 999) / 1000;
        assertThat(shown).isBetween(earliest - 1, latest + 1);
    }

    /** The seconds in a countdown text such as "You can ask for a new code in 0:03." */
    private static long seconds(String text) {
        Matcher m = Pattern.compile("(\\d+):(\\d\\d)").matcher(text);
        assertThat(m.find()).as("a m:ss time in \"%s\"", text).isTrue();
        return Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2));
    }

    private long pageNowMillis() {
        return ((Number) browser.script("return Date.now();")).longValue();
    }
}
