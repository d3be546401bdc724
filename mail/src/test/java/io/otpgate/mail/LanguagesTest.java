package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguagesTest {

    private static final Locale FALLBACK = Locale.forLanguageTag("en");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "fr-FR,fr;q=0.9,en;q=0.8 | fr",
                "fr-CA | fr",
                "de-CH, en;q=0.5 | de",
                "pt | pt-BR",
                "pt-PT | pt-BR",
                "pt-BR | pt-BR",
                "zh-CN,zh;q=0.9 | zh-Hans",
                "zh-TW | zh-Hans",
                "ar-EG | ar",
                "hi-IN | hi",
                "es-419 | es",
                "nl-NL, fr;q=0.4 | fr",
                "nl-NL, it | en",
                "fr;q=0, de | de",
                "* | en",
            })
    void acceptLanguageChoosesTheReadersFirstShippedLanguage(String header, String expected) {
        assertThat(Languages.negotiate(header, FALLBACK).toLanguageTag()).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", ";;;", "fr;q=2", "\u0000fr", "x-klingon-with-a-very-long-tag-indeed-and-more"})
    void missingOrMalformedHeaderGivesTheFallback(String header) {
        assertThat(Languages.negotiate(header, Locale.GERMAN)).isEqualTo(Locale.GERMAN);
    }

    @ParameterizedTest
    @ValueSource(ints = {1025, 100_000})
    void oversizedHeaderGivesTheFallback(int length) {
        assertThat(Languages.negotiate("fr," + "a".repeat(length), FALLBACK)).isEqualTo(FALLBACK);
    }

    @ParameterizedTest
    @CsvSource({"ar, true", "ar-EG, true", "he, true", "fa, true", "en, false", "zh-Hans, false", "hi, false"})
    void arabicHebrewAndPersianRunRightToLeft(String tag, boolean rtl) {
        assertThat(Languages.rightToLeft(Locale.forLanguageTag(tag))).isEqualTo(rtl);
    }
}
