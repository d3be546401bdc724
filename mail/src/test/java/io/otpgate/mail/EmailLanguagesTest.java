package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.delivery.CodeEmail;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped languages: complete, natural where a test can tell, and right to left in Arabic. */
class EmailLanguagesTest {

    private static final VerificationId VERIFICATION = new VerificationId("ver_0123456789abcdefghjkmnpqrs");
    private static final String[] BUNDLES = {"", "_es", "_fr", "_de", "_pt_BR", "_hi", "_zh", "_ar"};
    private static final String[] PURPOSES = {"verify_email", "password_reset", "login", "newsletter_opt_in"};

    private final TemplateComposer composer =
            TemplateComposer.builder().brand("Acme").build();
    private final Translations strings = Translations.load(
            "io.otpgate.mail.messages", EmailLanguagesTest.class.getClassLoader(), Locale.ENGLISH, Optional.empty());

    @ParameterizedTest(name = "messages{0}.properties")
    @ValueSource(strings = {"_es", "_fr", "_de", "_pt_BR", "_hi", "_zh", "_ar"})
    void everyLanguageHasExactlyTheKeysOfEnglish(String suffix) throws IOException {
        Properties english = bundle("");
        Properties translated = bundle(suffix);

        assertThat(translated.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
    }

    @Test
    void everyShippedLanguageHasABundle() {
        assertThat(Languages.SHIPPED).hasSize(BUNDLES.length);
        for (Locale shipped : Languages.SHIPPED) {
            assertThat(strings.forLocale(shipped).locale())
                    .as(shipped.toLanguageTag())
                    .isEqualTo(shipped);
        }
    }

    static Stream<Arguments> languagesAndPurposes() {
        return Languages.SHIPPED.stream()
                .flatMap(l -> Stream.of(PURPOSES).map(p -> Arguments.of(l.toLanguageTag(), p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("languagesAndPurposes")
    void everyLanguageRendersEveryPurposeInItsOwnWords(String tag, String purpose) throws IOException {
        Locale locale = Locale.forLanguageTag(tag);

        OutgoingEmail named = composer.compose(email("Zoë", locale, purpose, Duration.ofMinutes(10)));
        OutgoingEmail anonymous = composer.compose(email(null, locale, purpose, Duration.ofMinutes(10)));

        assertThat(named.subject()).startsWith("042917 ").doesNotContain("\n", "\r", "{", "}");
        assertThat(named.text())
                .contains("Zoë", "042917", "Acme", "ada@example.com")
                .doesNotContain("{", "}");
        assertThat(anonymous.text()).doesNotContain("Zoë").doesNotContain("{", "}");
        assertThat(named.html()).contains("lang=\"" + tag + "\"", ">042917</p>");
        if (!tag.equals("en")) {
            // Nothing fell back to English: no English sentence appears in the email.
            for (String english : bundle("").stringPropertyNames()) {
                String sentence = bundle("").getProperty(english);
                if (!sentence.contains("{")) {
                    assertThat(named.text()).as(english).doesNotContain(sentence);
                }
            }
            assertThat(named.text()).doesNotContain("expires", "code with anyone", "Hello");
        }
    }

    @Test
    void eachPurposeHasItsOwnSubjectAndIntroduction() {
        for (Locale locale : Languages.SHIPPED) {
            long subjects = Stream.of(PURPOSES)
                    .map(p -> composer.compose(email(null, locale, p, Duration.ofMinutes(10)))
                            .subject())
                    .distinct()
                    .count();
            long intros = Stream.of(PURPOSES)
                    .map(p -> composer.compose(email(null, locale, p, Duration.ofMinutes(10)))
                            .text())
                    .distinct()
                    .count();
            // verify_email and the generic purpose share the verification subject.
            assertThat(subjects).as(locale.toLanguageTag()).isEqualTo(3);
            assertThat(intros).as(locale.toLanguageTag()).isEqualTo(4);
        }
    }

    @Test
    void frenchSaysWhatAFrenchProductWould() {
        OutgoingEmail email = composer.compose(email("Zoë", Locale.FRENCH, "verify_email", Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("042917 est votre code de vérification Acme");
        assertThat(email.text())
                .startsWith("Bonjour Zoë,\n")
                .contains("Saisissez ce code pour confirmer votre adresse e-mail sur Acme.")
                .contains("Ce code expire dans 10 minutes.")
                .contains("Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer cet e-mail.")
                .contains("Ne communiquez ce code à personne.");
    }

    @Test
    void greetingsWithAndWithoutAName() {
        assertThat(greeting("de", "Jonas")).isEqualTo("Hallo Jonas,");
        assertThat(greeting("de", null)).isEqualTo("Hallo,");
        assertThat(greeting("es", "Lucía")).isEqualTo("Hola, Lucía:");
        assertThat(greeting("es", null)).isEqualTo("Hola:");
        assertThat(greeting("pt-BR", "Ana")).isEqualTo("Olá, Ana!");
        assertThat(greeting("zh-Hans", "李雷")).isEqualTo("李雷，您好：");
        assertThat(greeting("zh-Hans", null)).isEqualTo("您好：");
        assertThat(greeting("hi", "प्रिया")).isEqualTo("नमस्ते प्रिया,");
        assertThat(greeting("ar", null)).isEqualTo("مرحبًا،");
    }

    @ParameterizedTest(name = "ar {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0   | تنتهي صلاحية هذا الرمز الآن.",
                "1   | تنتهي صلاحية هذا الرمز بعد دقيقة واحدة.",
                "2   | تنتهي صلاحية هذا الرمز بعد دقيقتين.",
                "3   | تنتهي صلاحية هذا الرمز بعد 3 دقائق.",
                "5   | تنتهي صلاحية هذا الرمز بعد 5 دقائق.",
                "11  | تنتهي صلاحية هذا الرمز بعد 11 دقيقة.",
                "100 | تنتهي صلاحية هذا الرمز بعد 100 دقيقة."
            })
    void arabicHasSixPluralForms(long count, String expected) {
        assertThat(minutes("ar", count)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "fr {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0   | Ce code expire dans 0 minute.",
                "1   | Ce code expire dans 1 minute.",
                "2   | Ce code expire dans 2 minutes.",
                "3   | Ce code expire dans 3 minutes.",
                "5   | Ce code expire dans 5 minutes.",
                "11  | Ce code expire dans 11 minutes.",
                "100 | Ce code expire dans 100 minutes."
            })
    void frenchCountsZeroAsSingular(long count, String expected) {
        assertThat(minutes("fr", count)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "en {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0   | This code expires in 0 minutes.",
                "1   | This code expires in 1 minute.",
                "2   | This code expires in 2 minutes.",
                "3   | This code expires in 3 minutes.",
                "5   | This code expires in 5 minutes.",
                "11  | This code expires in 11 minutes.",
                "100 | This code expires in 100 minutes."
            })
    void englishHasOneAndOther(long count, String expected) {
        assertThat(minutes("en", count)).isEqualTo(expected);
    }

    @Test
    void secondsAndHoursArePluralisedToo() {
        assertThat(strings.forLocale(Locale.forLanguageTag("ar")).format("expiry.hours", Map.of("count", 2)))
                .isEqualTo("تنتهي صلاحية هذا الرمز بعد ساعتين.");
        assertThat(strings.forLocale(Locale.GERMAN).format("expiry.seconds", Map.of("count", 1)))
                .isEqualTo("Dieser Code läuft in einer Sekunde ab.");
        assertThat(strings.forLocale(Locale.GERMAN).format("expiry.hours", Map.of("count", 24)))
                .isEqualTo("Dieser Code läuft in 24 Stunden ab.");
    }

    @Test
    void arabicRunsRightToLeftWithTheCodeLeftToRight() {
        OutgoingEmail email =
                composer.compose(email("Zoë", Locale.forLanguageTag("ar"), "verify_email", Duration.ofMinutes(10)));

        assertThat(email.html())
                .contains("<html lang=\"ar\" dir=\"rtl\">")
                .containsPattern("<body [^>]*lang=\"ar\" dir=\"rtl\"")
                .containsPattern("<p class=\"code\" dir=\"ltr\"[^>]*>042917</p>")
                .contains("تنتهي صلاحية هذا الرمز بعد 10 دقائق.");
        // Latin text inside Arabic sentences is isolated, so "ada@example.com." keeps its dot in place.
        assertThat(email.text()).contains("\u2068ada@example.com\u2069", "\u2068Acme\u2069");
        assertThat(email.subject()).isEqualTo("042917 هو رمز التحقق الخاص بك في Acme");
    }

    @Test
    void arabicFromEgyptCountsInEasternArabicDigitsButTheCodeStaysAscii() {
        OutgoingEmail email =
                composer.compose(email(null, Locale.forLanguageTag("ar-EG"), "login", Duration.ofMinutes(5)));

        assertThat(email.text()).contains("بعد ٥ دقائق.").contains("    042917\n");
        assertThat(email.subject()).startsWith("042917 ");
    }

    @Test
    void leftToRightLanguagesSayLtrAndIsolateNothing() {
        OutgoingEmail email = composer.compose(email(null, Locale.GERMAN, "login", Duration.ofMinutes(5)));

        assertThat(email.html()).contains("<html lang=\"de\" dir=\"ltr\">");
        assertThat(email.text()).doesNotContain("\u2068");
    }

    @Test
    void portugueseFromPortugalGetsBrazilianPortuguese() {
        OutgoingEmail email =
                composer.compose(email("Ana", Locale.forLanguageTag("pt-PT"), "verify_email", Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("042917 é o seu código de verificação de Acme");
        assertThat(email.html()).contains("lang=\"pt-BR\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zh", "zh-Hans", "zh-CN", "zh-TW", "zh-Hant-HK", "zh-SG"})
    void everyChineseTagGetsSimplifiedChinese(String tag) {
        OutgoingEmail email =
                composer.compose(email(null, Locale.forLanguageTag(tag), "verify_email", Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("042917 是您的 Acme 验证码");
        assertThat(email.text()).contains("此验证码将在 10 分钟后失效。");
        assertThat(email.html()).contains("<html lang=\"zh-Hans\" dir=\"ltr\">");
    }

    @Test
    void anUnknownLanguageGetsTheDefaultLocale() {
        TemplateComposer spanishByDefault = TemplateComposer.builder()
                .brand("Acme")
                .defaultLocale(Locale.forLanguageTag("es"))
                .build();

        OutgoingEmail english =
                composer.compose(email(null, Locale.forLanguageTag("ja"), "verify_email", Duration.ofMinutes(10)));
        OutgoingEmail spanish = spanishByDefault.compose(
                email(null, Locale.forLanguageTag("ja"), "verify_email", Duration.ofMinutes(10)));

        assertThat(english.html()).contains("lang=\"en\"");
        assertThat(spanish.subject()).isEqualTo("042917 es tu código de verificación de Acme");
        assertThat(spanish.html()).contains("lang=\"es\"");
    }

    @Test
    void aNameThatLooksLikeAPatternStaysLiteralInEveryLanguage() {
        String name = "{code} {count, plural, other {#}} <b>";
        for (Locale locale : Languages.SHIPPED) {
            OutgoingEmail email = composer.compose(email(name, locale, "verify_email", Duration.ofMinutes(10)));

            assertThat(email.text()).as(locale.toLanguageTag()).contains(name);
            assertThat(email.html())
                    .as(locale.toLanguageTag())
                    .contains("{code} {count, plural, other {#}} &lt;b&gt;")
                    .doesNotContain("<b>");
        }
    }

    private String greeting(String tag, String name) {
        return composer.compose(email(name, Locale.forLanguageTag(tag), "verify_email", Duration.ofMinutes(10)))
                .text()
                .lines()
                .findFirst()
                .orElseThrow()
                .replace("\u2068", "")
                .replace("\u2069", "");
    }

    private String minutes(String tag, long count) {
        return strings.forLocale(Locale.forLanguageTag(tag)).format("expiry.minutes", Map.of("count", count));
    }

    private static Properties bundle(String suffix) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = EmailLanguagesTest.class.getResourceAsStream("messages" + suffix + ".properties");
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static CodeEmail email(String name, Locale locale, String purpose, Duration validFor) {
        return new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.ofNullable(name).map(DisplayName::new),
                locale,
                new Purpose(purpose),
                OneTimeCode.of("042917".toCharArray()),
                validFor);
    }
}
