package io.otpgate.server.browser;

import static io.otpgate.server.browser.Visitor.codeIn;
import static io.otpgate.server.browser.Visitor.number;
import static io.otpgate.server.browser.Visitor.spaced;
import static io.otpgate.server.browser.Visitor.wrong;
import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.CapturedEmail;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** A person verifies their address on the hosted pages, in headless Chromium. */
class VerificationFlowTest {

    @RegisterExtension
    final Browser browser = new Browser();

    final Visitor visitor = new Visitor(browser);

    @Test
    void personVerifiesTheirAddressInEnglish() {
        browser.open("/");
        assertThat(visitor.htmlLang()).isEqualTo("en");
        assertThat(browser.find("#dev-mailbox").getAttribute("href")).endsWith("/dev/mailbox");
        browser.review("start");

        String id = visitor.start("ada@example.com", "Ada Lovelace");

        WebElement code = browser.find("#code");
        assertThat(code.getAttribute("autocomplete")).isEqualTo("one-time-code");
        assertThat(code.getAttribute("inputmode")).isEqualTo("numeric");
        assertThat(number(browser.find("#attempts").getText())).isEqualTo(3);
        browser.review("code");

        CapturedEmail email = browser.awaitEmail("ada@example.com", 1);
        assertThat(email.subject()).endsWith("is your OTPGate verification code");
        assertThat(email.text()).contains("Ada Lovelace");
        visitor.enterCode(codeIn(email));

        assertThat(visitor.awaitSuccess().isDisplayed()).isTrue();
        browser.review("done");
        assertThat(browser.verification(id).get("status").asText()).isEqualTo("approved");
    }

    @Test
    void personVerifiesInFrenchChosenFromTheLanguageSwitcher() {
        browser.open("/");
        assertThat(visitor.htmlLang()).isEqualTo("en");

        browser.find("nav#languages a[hreflang=fr]").click();
        browser.await(d -> "fr".equals(visitor.htmlLang()));

        assertThat(browser.find("h1").getText()).isEqualTo("Vérifiez votre adresse e-mail");
        assertThat(browser.find("#submit").getText()).isEqualTo("Recevoir un code");
        browser.review("start-fr");
        String id = visitor.start("marie@example.com", "Marie Curie");
        assertThat(visitor.htmlLang()).isEqualTo("fr");
        assertThat(browser.find("#attempts").getText()).isEqualTo("3 essais restants");
        browser.review("code-fr");

        CapturedEmail email = browser.awaitEmail("marie@example.com", 1);
        assertThat(browser.verification(id).get("locale").asText()).isEqualTo("fr");
        assertThat(email.subject()).contains("est votre code de vérification");
        assertThat(email.text())
                .contains("Bonjour Marie Curie,", "Saisissez ce code", "Ce code expire dans 10 minutes.");
        assertThat(email.html()).contains("lang=\"fr\"");
        visitor.enterCode(codeIn(email));

        visitor.awaitSuccess();
        assertThat(browser.find("h1").getText()).isEqualTo("Adresse e-mail vérifiée");
        browser.review("done-fr");
    }

    @Test
    void pagesSpeakTheBrowsersLanguage() {
        browser.language("fr-FR,fr").open("/");

        assertThat(visitor.htmlLang()).isEqualTo("fr");
        assertThat(browser.find("nav#languages a[hreflang=en]").isDisplayed()).isTrue();
    }

    @Test
    void wrongCodeSaysSoAndUsesAnAttempt() {
        browser.open("/");
        visitor.start("grace@example.com", null);
        String code = codeIn(browser.awaitEmail("grace@example.com", 1));
        int before = number(browser.find("#attempts").getText());

        visitor.enterCode(wrong(code));

        WebElement message = browser.find("#message");
        assertThat(message.getAttribute("role")).isEqualTo("alert");
        assertThat(message.getText()).isNotBlank();
        assertThat(number(browser.find("#attempts").getText())).isEqualTo(before - 1);
        browser.review("wrong-code");

        visitor.enterCode(code);
        visitor.awaitSuccess();
    }

    @Test
    void codeFieldTakesACodeWithASpaceButNotAShortOne() {
        browser.open("/");
        visitor.start("ada@example.com", null);
        String code = codeIn(browser.awaitEmail("ada@example.com", 1));
        WebElement field = browser.find("#code");

        field.sendKeys("123 45");
        assertThat(browser.script("return arguments[0].validity.patternMismatch", field))
                .isEqualTo(true);
        field.clear();
        field.sendKeys(spaced(code));
        assertThat(field.getAttribute("value")).isEqualTo(spaced(code));
        assertThat(browser.script("return arguments[0].validity.valid", field)).isEqualTo(true);

        browser.find("#submit").click();
        visitor.awaitSuccess();
    }

    @Test
    void arabicPagesRunRightToLeft() {
        browser.open("/?lang=ar");

        assertThat(visitor.htmlLang()).isEqualTo("ar");
        assertThat(visitor.htmlDir()).isEqualTo("rtl");
        assertThat(browser.find("body").getCssValue("direction")).isEqualTo("rtl");
        browser.review("start-ar");

        visitor.start("layla@example.com", "ليلى");
        assertThat(visitor.htmlDir()).isEqualTo("rtl");
        assertThat(browser.find("body").getCssValue("direction")).isEqualTo("rtl");
        browser.review("code-ar");

        CapturedEmail email = browser.awaitEmail("layla@example.com", 1);
        assertThat(email.html()).contains("lang=\"ar\"", "dir=\"rtl\"");
        visitor.enterCode(codeIn(email));

        visitor.awaitSuccess();
        assertThat(visitor.htmlDir()).isEqualTo("rtl");
        browser.review("done-ar");
    }

    /**
     * Finding 7 of issue 11: the field's pattern said {@code [0-9]}, so on the Arabic page the
     * browser refused to submit a code typed on an Arabic keyboard, and said why in its own words.
     */
    @Test
    void theArabicPageSubmitsACodeTypedInArabicIndicOrFullWidthDigits() {
        browser.open("/?lang=ar");
        String id = visitor.start("layla@example.com", null);
        String code = codeIn(browser.awaitEmail("layla@example.com", 1));
        WebElement field = browser.find("#code");

        for (String typed : List.of(
                digits(code, '\u0660'),
                digits(code, '\u06F0'),
                digits(code, '\uFF10'),
                digits(code.substring(0, 3), '\u0660') + "\u00A0" + digits(code.substring(3), '\u0660'),
                code.substring(0, 3) + "\u2009\u2013" + code.substring(3))) {
            field.clear();
            field.sendKeys(typed);
            assertThat(browser.script("return arguments[0].validity.valid", field))
                    .as("%s is valid in the field", typed)
                    .isEqualTo(true);
        }
        field.clear();
        field.sendKeys(digits(code.substring(0, 5), '\u0660'));
        assertThat(browser.script("return arguments[0].validity.patternMismatch", field))
                .as("five digits are still too few")
                .isEqualTo(true);

        visitor.enterCode(digits(code, '\u0660')); // returns only once the browser has submitted it

        visitor.awaitSuccess();
        assertThat(browser.verification(id).get("status").asText()).isEqualTo("approved");
    }

    /** {@code ascii} in the decimal digits that start at {@code zero} (U+0660 for Arabic-Indic). */
    private static String digits(String ascii, char zero) {
        StringBuilder out = new StringBuilder();
        ascii.chars().forEach(c -> out.append((char) (zero + c - '0')));
        return out.toString();
    }

    @Test
    void flowWorksWithoutJavaScript() {
        assertThat(browser.withoutJavaScript().pagesRunJavaScript()).isFalse();
        browser.open("/");
        browser.review("start-nojs");

        String id = visitor.start("alan@example.com", "Alan Turing");
        browser.review("code-nojs");
        // Pasted as it reads in the email: no script strips the space, so the field must leave room.
        visitor.enterCode(spaced(codeIn(browser.awaitEmail("alan@example.com", 1))));

        visitor.awaitSuccess();
        browser.review("done-nojs");
        assertThat(browser.verification(id).get("status").asText()).isEqualTo("approved");
    }
}
