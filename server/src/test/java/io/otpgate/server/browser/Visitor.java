package io.otpgate.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.CapturedEmail;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

/**
 * What a person does on the hosted pages, step by step, in the words of the page contract: the
 * element ids and paths the pages promise ({@code #email}, {@code #code}, {@code /verify/{id}}, …).
 */
final class Visitor {

    private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{6}(?!\\d)");
    private static final Pattern CONFIRM_PATH = Pattern.compile("/confirm/[^\\s\"'<>]+");
    private static final Pattern VERIFY_PATH = Pattern.compile("^/verify/([^/]+)$");

    private final Browser browser;

    Visitor(Browser browser) {
        this.browser = browser;
    }

    /** Fills the start page's form and submits it; returns once the code page is shown. */
    String start(String email, String name) {
        browser.find("#email").sendKeys(email);
        if (name != null) {
            browser.find("#name").sendKeys(name);
        }
        browser.find("#submit").click();
        browser.await(d -> VERIFY_PATH.matcher(browser.path()).matches());
        browser.await(d -> !browser.findAll("#code").isEmpty());
        return verificationId();
    }

    /** The id of the verification whose code page is shown, from its path. */
    String verificationId() {
        Matcher m = VERIFY_PATH.matcher(browser.path());
        assertThat(m.matches()).as("on a code page: %s", browser.path()).isTrue();
        return m.group(1);
    }

    /** Types {@code code} and submits it; returns once the next page has loaded. */
    void enterCode(String code) {
        WebElement before = browser.find("html");
        WebElement input = browser.find("#code");
        input.clear();
        input.sendKeys(code);
        browser.find("#submit").click();
        browser.await(d -> isStale(before));
    }

    /** Waits for the success page and returns its {@code #success} element. */
    WebElement awaitSuccess() {
        browser.await(d -> !browser.findAll("#success").isEmpty());
        assertThat(browser.path()).matches("/verify/[^/]+/done");
        return browser.find("#success");
    }

    String htmlLang() {
        return browser.find("html").getAttribute("lang");
    }

    String htmlDir() {
        return browser.find("html").getAttribute("dir");
    }

    /** The code in an email, as the person reads it: the six digits in the text part. */
    static String codeIn(CapturedEmail email) {
        Matcher m = CODE.matcher(email.text());
        assertThat(m.find())
                .as("a code in the email's text part:\n%s", email.text())
                .isTrue();
        return m.group();
    }

    /** A six-digit code that is not {@code code}. */
    static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    /** {@code code} as people copy it from an email: "123 456". */
    static String spaced(String code) {
        return code.substring(0, 3) + " " + code.substring(3);
    }

    /** The path of the confirm link in an email's text part, e.g. {@code /confirm/ver_…/…}. */
    static String confirmPathIn(CapturedEmail email) {
        Matcher m = CONFIRM_PATH.matcher(email.text());
        assertThat(m.find())
                .as("a confirm link in the email's text part:\n%s", email.text())
                .isTrue();
        return m.group();
    }

    /** The first whole number in a text, e.g. 2 in "2 attempts left". */
    static int number(String text) {
        Matcher m = Pattern.compile("\\d+").matcher(text);
        assertThat(m.find()).as("a number in \"%s\"", text).isTrue();
        return Integer.parseInt(m.group());
    }

    /**
     * Whether the page that held {@code element} has been replaced. While the new document loads,
     * Chromium can answer with "Node with given id does not belong to the document" (an "unknown
     * error") instead of a stale-element error; both mean the old page is gone.
     */
    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }
}
