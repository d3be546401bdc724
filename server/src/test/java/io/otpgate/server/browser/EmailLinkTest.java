package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link in the email cannot be consumed by a mail scanner that follows it: opening it only shows
 * a confirm page; the person's click on that page (a POST) approves.
 */
class EmailLinkTest {

    @RegisterExtension
    final Browser browser = new Browser();

    final Visitor visitor = new Visitor(browser);

    @Test
    void openingTheLinkChangesNothingUntilThePersonConfirms() {
        String id = browser.service().start("ada@example.com");
        String link = Visitor.confirmPathIn(browser.awaitEmail("ada@example.com", 1));

        browser.open(link);

        assertThat(browser.find("#confirm").isDisplayed()).isTrue();
        assertThat(status(id)).isEqualTo("pending");
        browser.review("confirm");
        browser.open(link); // a second GET, as a scanner and then the person would make
        assertThat(status(id)).isEqualTo("pending");

        browser.find("#confirm").click();

        visitor.awaitSuccess();
        browser.review("done");
        assertThat(status(id)).isEqualTo("approved");
    }

    /** Read with the API tenant's key: the verification was started through the API, not the pages. */
    private String status(String id) {
        return browser.service()
                .get("/v1/verifications/" + id)
                .json()
                .get("status")
                .asText();
    }
}
