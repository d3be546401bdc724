package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranslationsTest {

    private static final String FIXTURE = "io.otpgate.mail.fixture.words";
    private static final ClassLoader LOADER = TranslationsTest.class.getClassLoader();

    private final Translations words = load(Locale.ENGLISH, Optional.empty());

    @Test
    void aRegionalReaderGetsTheLanguageAndMissingKeysFallBackToTheBase() {
        Translations.Strings canadian = words.forLocale(Locale.forLanguageTag("fr-CA"));

        assertThat(canadian.format("hello", Map.of("name", "Zoë"))).isEqualTo("Bonjour Zoë");
        assertThat(canadian.format("only_english")).isEqualTo("Only in English");
        assertThat(canadian.locale()).isEqualTo(Locale.FRENCH);
        assertThat(canadian.lang()).isEqualTo("fr");
    }

    @Test
    void pluralsFollowTheLanguagesRules() {
        Translations.Strings english = words.forLocale(Locale.ENGLISH);
        Translations.Strings french = words.forLocale(Locale.FRENCH);

        // French counts 0 as singular; English does not.
        assertThat(english.format("apples", Map.of("count", 0))).isEqualTo("0 apples");
        assertThat(french.format("apples", Map.of("count", 0))).isEqualTo("0 pomme");
        assertThat(english.format("apples", Map.of("count", 1))).isEqualTo("1 apple");
        assertThat(french.format("apples", Map.of("count", 1))).isEqualTo("1 pomme");
        assertThat(english.format("apples", Map.of("count", 1200))).isEqualTo("1,200 apples");
        assertThat(french.format("apples", Map.of("count", 1200))).isEqualTo("1\u202f200 pommes");
    }

    @Test
    void portugueseFromPortugalReadsBrazilianPortuguese() {
        Translations.Strings strings = words.forLocale(Locale.forLanguageTag("pt-PT"));

        assertThat(strings.format("hello", Map.of("name", "Ana"))).isEqualTo("Olá Ana");
        assertThat(strings.lang()).isEqualTo("pt-BR");
    }

    @Test
    void everyChineseTagReadsTheChineseFileAsSimplifiedChinese() {
        for (String tag : new String[] {"zh", "zh-Hans", "zh-CN", "zh-TW", "zh-Hant-HK"}) {
            Translations.Strings strings = words.forLocale(Locale.forLanguageTag(tag));

            assertThat(strings.format("hello", Map.of("name", "李"))).as(tag).isEqualTo("你好，李");
            assertThat(strings.lang()).as(tag).isEqualTo("zh-Hans");
        }
    }

    @Test
    void anUnknownLanguageReadsTheDefaultLocale() {
        Translations frenchByDefault = load(Locale.FRENCH, Optional.empty());

        Translations.Strings strings = frenchByDefault.forLocale(Locale.forLanguageTag("ja"));

        assertThat(strings.format("hello", Map.of("name", "Aiko"))).isEqualTo("Bonjour Aiko");
        assertThat(strings.locale()).isEqualTo(Locale.FRENCH);
        assertThat(words.forLocale(Locale.forLanguageTag("ja")).lang()).isEqualTo("en");
    }

    @Test
    void argumentsAreInsertedAsTheyAreNeverReadAsPatterns() {
        Translations.Strings english = words.forLocale(Locale.ENGLISH);

        assertThat(english.format("hello", Map.of("name", "{code} {count, plural, other {#}} '{'")))
                .isEqualTo("Hello {code} {count, plural, other {#}} '{'");
    }

    @Test
    void rightToLeftLanguagesSayRtl() {
        Translations arabicByDefault = load(Locale.forLanguageTag("ar"), Optional.empty());

        // The fixture has no Arabic: the reader gets English, which runs left to right.
        assertThat(arabicByDefault.forLocale(Locale.forLanguageTag("ar")).dir()).isEqualTo("ltr");
    }

    @Test
    void anOverrideFileChangesOnlyTheKeysItHas(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("words_fr.properties"), "hello=Salut {name} !\n");

        Translations.Strings french = load(Locale.ENGLISH, Optional.of(dir)).forLocale(Locale.FRENCH);

        assertThat(french.format("hello", Map.of("name", "Zoë"))).isEqualTo("Salut Zoë !");
        assertThat(french.format("apples", Map.of("count", 2))).isEqualTo("2 pommes");
    }

    @Test
    void anOverrideFileCanAddALanguage(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("words_ja.properties"), "hello=こんにちは、{name}さん\n");

        Translations.Strings japanese =
                load(Locale.ENGLISH, Optional.of(dir)).forLocale(Locale.forLanguageTag("ja-JP"));

        assertThat(japanese.format("hello", Map.of("name", "Aiko"))).isEqualTo("こんにちは、Aikoさん");
        assertThat(japanese.format("apples", Map.of("count", 2))).isEqualTo("2 apples");
        assertThat(japanese.lang()).isEqualTo("ja");
    }

    @Test
    void aBrokenOverrideFailsAtLoadNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("words_de.properties"),
                "hello=Hallo {name}\napples={count, plural, one {# Apfel} other {# Äpfel}\n");

        assertThatThrownBy(() -> load(Locale.ENGLISH, Optional.of(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("words_de.properties").toString())
                .hasMessageContaining("'apples'");
    }

    @Test
    void aPluralWithoutOtherIsBroken(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("words.properties"), "apples={count, plural, one {# apple}}\n");

        assertThatThrownBy(() -> load(Locale.ENGLISH, Optional.of(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("words.properties")
                .hasMessageContaining("'apples'");
    }

    @Test
    void aMissingKeyIsAnError() {
        Translations.Strings english = words.forLocale(Locale.ENGLISH);

        assertThat(english.has("nope")).isFalse();
        assertThatThrownBy(() -> english.format("nope")).isInstanceOf(MissingResourceException.class);
    }

    @Test
    void aMissingBaseFileIsAnError() {
        assertThatThrownBy(() -> Translations.load("io.otpgate.mail.nothing", LOADER, Locale.ENGLISH, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io/otpgate/mail/nothing.properties");
    }

    @Test
    void anOverridesDirectoryThatIsNotOneIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> load(Locale.ENGLISH, Optional.of(dir.resolve("missing"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Translations load(Locale defaultLocale, Optional<Path> overrides) {
        return Translations.load(FIXTURE, LOADER, defaultLocale, overrides);
    }
}
