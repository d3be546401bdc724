package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** axe-core, in Chromium, finds no serious or critical violation on the service's pages. */
class AccessibilityTest {

  @RegisterExtension final Browser browser = new Browser();

  @Test
  void startPageHasNoSeriousViolations() {
    browser.open("/");

    assertThat(browser.find("html").getAttribute("lang")).isNotBlank();
    browser.review("start");
  }

  @Test
  void devMailboxHasNoSeriousViolations() {
    browser.service().start("ada@example.com");
    browser.awaitEmail("ada@example.com", 1);

    browser.open("/dev/mailbox");

    assertThat(browser.find("article").getText()).contains("ada@example.com");
    browser.review("dev-mailbox");
  }
}
