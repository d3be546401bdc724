package io.otpgate.server.browser;

import static io.otpgate.server.browser.Visitor.codeIn;
import static io.otpgate.server.browser.Visitor.wrong;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * axe-core, run in Chromium, finds no moderate, serious or critical violation on any page a person sees:
 * start, code, wrong code, done, the email link's confirm page, the Arabic pages and the dev
 * mailbox. (The flow tests run axe on every page they pass too; this lists the pages in one place.)
 */
class AccessibilityTest {

    @RegisterExtension
    final Browser browser = new Browser();

    final Visitor visitor = new Visitor(browser);

    @Test
    void startCodeWrongCodeAndDonePagesPassAxe() {
        browser.open("/");
        browser.assertAccessible("start");
        visitor.start("ada@example.com", "Ada Lovelace");
        browser.assertAccessible("code");
        String code = codeIn(browser.awaitEmail("ada@example.com", 1));
        visitor.enterCode(wrong(code));
        browser.assertAccessible("wrong-code");
        visitor.enterCode(code);
        visitor.awaitSuccess();
        browser.assertAccessible("done");
    }

    @Test
    void confirmPagePassesAxe() {
        browser.service().start("ada@example.com");
        browser.open(Visitor.confirmPathIn(browser.awaitEmail("ada@example.com", 1)));

        browser.assertAccessible("confirm");
    }

    @Test
    void arabicPagesPassAxe() {
        browser.open("/?lang=ar");
        browser.assertAccessible("start-ar");
        visitor.start("layla@example.com", null);
        browser.assertAccessible("code-ar");
    }

    @Test
    void devMailboxPassesAxe() {
        browser.service().start("ada@example.com");
        browser.awaitEmail("ada@example.com", 1);

        browser.open("/dev/mailbox");

        assertThat(browser.find("body").getText()).contains("ada@example.com");
        assertThat(browser.find("main a[href*='/confirm/']").getText()).startsWith("http://otpgate.test/confirm/");
        browser.assertAccessible("dev-mailbox");
    }
}
