package io.otpgate.core.verification;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageTagsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "en, en",
        "de, de",
        "pt-BR, pt-BR",
        "zh-Hans, zh-Hans",
        "pt_BR, pt-BR",
        "PT-br, pt-BR",
        "sr-Latn-RS, sr-Latn-RS"
    })
    void languageTagsAreAccepted(String tag, String expected) {
        Locale locale = LanguageTags.parse(tag).orElseThrow();

        assertThat(locale.toLanguageTag()).isEqualTo(expected);
    }

    @Test
    void underscoreFormReadsAsTheSameLocaleAsTheHyphenForm() {
        assertThat(LanguageTags.parse("pt_BR").orElseThrow())
                .isEqualTo(LanguageTags.parse("pt-BR").orElseThrow());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(LanguageTags.parse(" en ").orElseThrow()).isEqualTo(Locale.ENGLISH);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "../../etc/passwd",
                "en/../de",
                "../en",
                "%2e%2e",
                "en%2F..",
                "x-private",
                "123",
                "e",
                "en-",
                "en--US",
                "日本語",
                "en;rm -rf",
                "<script>",
                "en\r\nX-Injected: 1",
                "en\u0000",
                "this-is-not-a-language-tag-at-all-really"
            })
    void junkIsRefused(String tag) {
        assertThat(reasonFor(LanguageTags.parse(tag))).contains("such as en or pt-BR");
    }

    @Test
    void veryLongTagIsRefused() {
        assertThat(LanguageTags.parse("en-" + "a".repeat(100_000)).isValid()).isFalse();
    }

    @Test
    void nullIsRefused() {
        assertThat(LanguageTags.parse(null).isValid()).isFalse();
    }
}
