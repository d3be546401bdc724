package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.server.ServiceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The analytics dashboard in Chromium: signing in with a read-only key through the form, then the
 * charts of two periods, each page checked by axe and saved as a screenshot
 * ({@code target/screenshots/}).
 */
class DashboardBrowserTest {

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void theSignInFormAndTheDashboardOfTwoPeriodsPassAxe() {
        browser.service().start("ada@example.com");
        browser.service().start("bob@gmail.com");
        browser.awaitEmail("ada@example.com", 1);
        browser.awaitEmail("bob@gmail.com", 1);
        browser.service().rollUp();

        browser.open("/dashboard");
        browser.review("dashboard-sign-in");
        browser.find("#key").sendKeys(ServiceFixture.READ_KEY);
        browser.find("#sign-in").click();
        browser.await(driver -> browser.find("h1").getText().startsWith("Analytics of"));

        assertThat(browser.find("h1").getText()).isEqualTo("Analytics of default");
        assertThat(browser.findAll("svg[role='img']")).hasSize(7);
        assertThat(browser.find("#domains-heading + .chart-body table").getText())
                .contains("example.com", "gmail.com");
        browser.review("dashboard-24h");

        browser.find("a[href='/dashboard?since=30d']").click();
        browser.await(driver -> browser.find("a[aria-current='page']").getText().equals("30d"));
        browser.review("dashboard-30d");
    }
}
