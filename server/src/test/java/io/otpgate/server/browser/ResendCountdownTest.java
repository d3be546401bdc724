package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** The code page's resend button waits out the cooldown with a live countdown. */
class ResendCountdownTest {

  private static final Duration COOLDOWN = Duration.ofSeconds(3);

  @RegisterExtension
  final Browser browser = new Browser(new Policy(6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, COOLDOWN, 10,
      20, Duration.ofHours(1)));
  final Visitor visitor = new Visitor(browser);

  @Test
  void countdownMatchesResendAvailableAtAndEnablesResendAtZero() {
    browser.open("/");
    String id = visitor.start("ada@example.com", null);
    browser.awaitEmail("ada@example.com", 1);

    WebElement countdown = browser.find("#countdown");
    Instant resendAt = Instant.parse(countdown.getAttribute("data-resend-at"));
    assertThat(resendAt).isEqualTo(Instant.parse(
        browser.service().get("/v1/verifications/" + id).json().get("resend_available_at").asText()));
    assertThat(browser.find("#resend").isEnabled()).isFalse();
    assertShowsSecondsLeftUntil(resendAt);
    browser.review("countdown");

    browser.await(d -> browser.find("#resend").isEnabled());

    // Judged on the page's own clock, the one its countdown runs on.
    assertThat(pageNowMillis()).isGreaterThanOrEqualTo(resendAt.toEpochMilli() - 1_000);
    browser.review("resend-ready");
    browser.find("#resend").click();

    browser.awaitEmail("ada@example.com", 2);
    browser.await(d -> Instant.parse(browser.find("#countdown").getAttribute("data-resend-at")).isAfter(resendAt));
    assertThat(browser.find("#resend").isEnabled()).isFalse();
  }

  /** The seconds shown are those left until {@code resendAt} on the page's clock, within a second. */
  private void assertShowsSecondsLeftUntil(Instant resendAt) {
    long before = pageNowMillis();
    int shown = Visitor.number(browser.find("#countdown").getText());
    long after = pageNowMillis();
    double latest = (resendAt.toEpochMilli() - before) / 1000.0;
    double earliest = (resendAt.toEpochMilli() - after) / 1000.0;
    assertThat((double) shown).isBetween(Math.floor(earliest) - 1, Math.ceil(latest) + 1);
  }

  private long pageNowMillis() {
    return ((Number) browser.script("return Date.now();")).longValue();
  }
}
