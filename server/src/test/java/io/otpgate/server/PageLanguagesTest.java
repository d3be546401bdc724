package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.policy.Policy;
import io.otpgate.mail.Languages;
import io.otpgate.mail.Translations;
import io.otpgate.server.pages.PageLocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which language a page speaks, how a person changes it, and that the email follows. */
class PageLanguagesTest {

    private static final String[] BUNDLES = {"", "_es", "_fr", "_de", "_pt_BR", "_hi", "_zh", "_ar"};

    @TempDir
    Path dir;

    private ServiceFixture service;
    private PageClient browser;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir, Policy.defaults(), s -> s);
        browser = new PageClient(service.server.port());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void everyLanguageHasEveryKeyAndNoOtherKeys() throws IOException {
        Set<String> english = keys("").stringPropertyNames();
        for (String suffix : BUNDLES) {
            assertThat(keys(suffix).stringPropertyNames())
                    .as("pages%s.properties", suffix)
                    .isEqualTo(english);
        }
    }

    @Test
    void everyShippedLanguageResolvesToItsOwnBundle() {
        Translations pages = Translations.load(
                HttpServer.PAGE_STRINGS, getClass().getClassLoader(), Locale.ENGLISH, Optional.empty());
        for (Locale language : Languages.SHIPPED) {
            String title = pages.forLocale(language).format("start.title");
            if (!language.getLanguage().equals("en")) {
                assertThat(title).as(language.toLanguageTag()).isNotEqualTo("Verify your email address");
            }
            assertThat(pages.forLocale(language).format("code.attempts", Map.of("count", 5)))
                    .as(language.toLanguageTag())
                    .containsPattern("[5\u0665]");
        }
    }

    @Test
    void theBrowserLanguageIsUsedWhenNothingElseWasChosen() {
        PageClient.Page page = browser.get("/", "Accept-Language", "de-AT,de;q=0.9,en;q=0.5");
        assertThat(page.body()).contains("<html lang=\"de\" dir=\"ltr\">", "Bestätigen Sie Ihre E-Mail-Adresse");
    }

    @Test
    void aChosenLanguageIsRememberedAndBeatsTheBrowsers() {
        PageClient.Page chosen = browser.get("/?lang=fr", "Accept-Language", "de");
        assertThat(chosen.body()).contains("<html lang=\"fr\"");
        assertThat(chosen.header("Set-Cookie"))
                .contains("otpgate_lang=fr", "Max-Age=31536000", "HttpOnly", "SameSite=Lax", "Path=/");
        assertThat(browser.get("/", "Accept-Language", "de").body()).contains("<html lang=\"fr\"");
        assertThat(browser.get("/?lang=es", "Accept-Language", "de").body()).contains("<html lang=\"es\"");
        assertThat(browser.get("/").body()).contains("<html lang=\"es\"");
    }

    @Test
    void onPlainHttpThePagesCookiesAreNotMarkedSecure() {
        PageClient.Page page = browser.get("/?lang=fr");

        assertThat(page.raw().headers().allValues("Set-Cookie"))
                .hasSize(2)
                .noneMatch(cookie -> cookie.contains("Secure"));
    }

    @Test
    void behindAnHttpsPublicUrlThePagesCookiesAreSecureEvenOverPlainHttp() {
        service.close();
        service = new ServiceFixture(
                dir.resolve("https"), Policy.defaults(), s -> ServerSettingsFixture.withSecureCookies(s, true));
        browser = new PageClient(service.server.port());

        PageClient.Page page = browser.get("/?lang=fr");

        assertThat(page.raw().headers().allValues("Set-Cookie"))
                .hasSize(2)
                .allMatch(cookie -> cookie.contains("Secure"), "is Secure");
    }

    @Test
    void anUnshippedLanguageFallsBackWithoutACookie() {
        PageClient.Page page = browser.get("/?lang=xx-evil", "Accept-Language", "ja");
        assertThat(page.body()).contains("<html lang=\"en\"");
        assertThat(page.header("Set-Cookie")).doesNotContain("otpgate_lang");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zh-CN", "zh-Hans", "zh"})
    void simplifiedChineseResolvesFromItsCommonTags(String tag) {
        assertThat(browser.get("/", "Accept-Language", tag).body()).contains("<html lang=\"zh-Hans\"", "验证您的电子邮件地址");
    }

    @Test
    void arabicPagesRunRightToLeft() {
        PageClient.Page page = browser.get("/?lang=ar");
        assertThat(page.body()).contains("<html lang=\"ar\" dir=\"rtl\">", "تحقق من عنوان بريدك الإلكتروني");
    }

    @Test
    void theSwitcherNamesEachLanguageInItself() {
        String body = browser.get("/?lang=fr").body();
        assertThat(body).contains("<nav id=\"languages\"");
        for (String name : PageLocale.NAMES.values()) {
            assertThat(body).contains(">" + name + "</a>");
        }
        assertThat(body).contains("hreflang=\"pt-BR\" lang=\"pt-BR\"", "href=\"/?lang=zh-Hans\"");
    }

    @Test
    void aFrenchPageStartsAFrenchVerificationAndSendsAFrenchEmail() {
        String csrf = browser.get("/?lang=fr").csrf();
        PageClient.Page started = browser.post("/start", "email", "marie@example.fr", "csrf", csrf);
        String id = started.location().replaceFirst("^/verify/", "");
        assertThat(service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + id)
                        .json()
                        .get("locale")
                        .asText())
                .isEqualTo("fr");
        service.codeFor("marie@example.fr", 1);
        assertThat(service.mailbox.messages().get(0).subject()).contains("est votre code");
        assertThat(browser.get(started.location()).body()).contains("Consultez vos e-mails");
    }

    /** Finding 18 of issue 11: the email's link opened in the browser's language, not the email's. */
    @Test
    void theEmailLinkOpensInTheVerificationsLanguageWhateverTheBrowserSays() {
        String id = service.post("/v1/verifications", "{\"email\":\"layla@example.com\",\"locale\":\"ar\"}")
                .json()
                .get("id")
                .asText();
        String code = service.codeFor("layla@example.com", 1);
        String link = "/confirm/" + id + "/"
                + service.linkTokens.issue(
                        new io.otpgate.core.id.VerificationId(id),
                        io.otpgate.core.code.OneTimeCode.of(code.toCharArray()));

        PageClient.Page confirm = browser.get(link, "Accept-Language", "en-US,en;q=0.9");
        PageClient.Page codePage = browser.get("/verify/" + id, "Accept-Language", "en-US,en;q=0.9");

        assertThat(confirm.body()).contains("<html lang=\"ar\" dir=\"rtl\">");
        assertThat(codePage.body()).contains("<html lang=\"ar\" dir=\"rtl\">");
        assertThat(browser.get(link + "?lang=fr").body())
                .as("a language the person picks still wins")
                .contains("<html lang=\"fr\"");
        assertThat(browser.get("/verify/" + id).body()).as("and is remembered").contains("<html lang=\"fr\"");
    }

    @Test
    void operatorsOverridePageStringsFromTheTemplatesDirectory() throws IOException {
        Files.writeString(
                dir.resolve("pages_fr.properties"),
                "start.title=Prouvez que c'est bien vous\n",
                StandardCharsets.UTF_8);
        Translations pages = Translations.load(
                HttpServer.PAGE_STRINGS, getClass().getClassLoader(), Locale.ENGLISH, Optional.of(dir));
        assertThat(pages.forLocale(Locale.FRENCH).format("start.title")).isEqualTo("Prouvez que c'est bien vous");
        assertThat(pages.forLocale(Locale.FRENCH).format("start.submit")).isEqualTo("Recevoir un code");
    }

    private static Properties keys(String suffix) throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                PageLanguagesTest.class.getResourceAsStream("/io/otpgate/server/pages" + suffix + ".properties")) {
            assertThat(in).as("pages%s.properties", suffix).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
