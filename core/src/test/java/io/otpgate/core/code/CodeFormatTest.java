package io.otpgate.core.code;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeFormatTest {

    private final CodeFormat digits = new CodeFormat(Alphabet.DIGITS, 6);
    private final CodeFormat alphanumeric = new CodeFormat(Alphabet.ALPHANUMERIC, 6);

    @ParameterizedTest
    @ValueSource(strings = {"123456", "123 456", "123-456", "12-34-56", " 1 2 3 4 5 6 ", "123\t456"})
    void spacesAndDashesAreIgnored(String typed) {
        OneTimeCode code = digits.parse(typed).orElseThrow();

        assertThat(code.reveal()).isEqualTo("123456");
    }

    @Test
    void leadingZerosAreKept() {
        OneTimeCode code = digits.parse("000123").orElseThrow();

        assertThat(code.reveal()).isEqualTo("000123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdef", "ABCDEF", "abc-DEF", "aBc DeF"})
    void lowerCaseIsAcceptedForAlphanumericCodes(String typed) {
        OneTimeCode code = alphanumeric.parse(typed).orElseThrow();

        assertThat(code.reveal()).isEqualTo("ABCDEF");
    }

    @Test
    void tooShortCodeIsExplainedWithBothCounts() {
        String reason = reasonFor(digits.parse("12345"));

        assertThat(reason).isEqualTo("the code has 6 digits; you entered 5");
    }

    @Test
    void tooShortAlphanumericCodeIsExplainedInCharacters() {
        String reason = reasonFor(alphanumeric.parse("AB-CD"));

        assertThat(reason).isEqualTo("the code has 6 characters; you entered 4");
    }

    @Test
    void tooLongCodeIsExplainedWithBothCounts() {
        String reason = reasonFor(digits.parse("1234567"));

        assertThat(reason).isEqualTo("the code has 6 digits; you entered 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "---"})
    void emptyEntryIsExplainedAsZeroEntered(String typed) {
        assertThat(reasonFor(digits.parse(typed))).contains("you entered 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABCDE0", "ABCDEO", "ABCDE1", "ABCDEI", "ABCDEL", "abcdeo", "abcdel", "abcdei"})
    void lookAlikeSymbolsAreRefusedForAlphanumericCodes(String typed) {
        String reason = reasonFor(alphanumeric.parse(typed));

        assertThat(reason).isEqualTo("the code contains only letters and digits other than 0, 1, I, L and O");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "12345a",
                "ABCDEF",
                "12345.",
                "1234+5",
                "12345²", // a superscript is not a decimal digit
                "12345①", // nor is a circled digit
                "12345\uFF41" // a full-width letter is still a letter
            })
    void nonDigitsAreRefusedForDigitCodes(String typed) {
        String reason = reasonFor(digits.parse(typed));

        assertThat(reason).isEqualTo("the code contains only digits");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "١٢٣٤٥٦", // Arabic-Indic
                "۱۲۳۴۵۶", // Extended Arabic-Indic (Persian, Urdu)
                "१२३४५६", // Devanagari
                "１２３４５６", // full-width
                "\uD835\uDFCF\uD835\uDFD0\uD835\uDFD1456", // mathematical bold, outside the BMP
                "١٢٣456" // mixed scripts
            })
    void anyUnicodeDecimalDigitReadsAsItsAsciiDigit(String typed) {
        OneTimeCode code = digits.parse(typed).orElseThrow();

        assertThat(code.reveal()).isEqualTo("123456");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "123\u00A0456", // no-break space, as the pages and many mail clients produce it
                "123\u202F456", // narrow no-break space
                "123\u2009456", // thin space
                "123\u3000456", // ideographic space
                "123\u2010456", // hyphen
                "123\u2013456", // en dash
                "123\u2014456", // em dash
                "123\u2212456", // minus sign
                "123\uFF0D456", // full-width hyphen-minus
                "\u200F123\u200E456\u061C" // bidi marks copied out of a right-to-left email
            })
    void unicodeSpacesDashesAndInvisibleMarksAreIgnored(String typed) {
        OneTimeCode code = digits.parse(typed).orElseThrow();

        assertThat(code.reveal()).isEqualTo("123456");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "123\n456", // a line break is no space
                "123456\r\n",
                "123\u2028456", // line separator
                "123\u200B456", // zero-width space
                "123\u202E456", // right-to-left override: shown as 123654
                "\uFEFF123456", // byte order mark
                "123\u0000456"
            })
    void lineBreaksControlAndInvisibleCharactersAreRefusedAsOutsideTheAlphabet(String typed) {
        String reason = reasonFor(digits.parse(typed));

        assertThat(reason).isEqualTo("the code contains only digits");
    }

    @Test
    void aCharacterOutsideTheAlphabetIsNamedBeforeTheLength() {
        assertThat(reasonFor(digits.parse("1234x"))).isEqualTo("the code contains only digits");
    }

    @Test
    void arabicDigitsOfTheWrongLengthAreCountedAsDigitsNotRefusedAsLetters() {
        String reason = reasonFor(digits.parse("١٢٣٤٥"));

        assertThat(reason).isEqualTo("the code has 6 digits; you entered 5");
    }

    @Test
    void fullWidthLettersMatchCaseInsensitively() {
        OneTimeCode code = alphanumeric.parse("\uFF41\uFF22\uFF43-ＤＥＦ").orElseThrow();

        assertThat(code.reveal()).isEqualTo("ABCDEF");
    }

    @Test
    void lookAlikeLettersFromOtherScriptsAreRefused() {
        // Cyrillic А, В, С look like A, B, C but are other letters.
        String reason = reasonFor(alphanumeric.parse("\u0410\u0412\u0421DEF"));

        assertThat(reason).isEqualTo("the code contains only letters and digits other than 0, 1, I, L and O");
    }

    @Test
    void lookAlikeDigitsInAnotherScriptAreRefusedLikeTheirAsciiDigit() {
        String reason = reasonFor(alphanumeric.parse("ABCDE١"));

        assertThat(reason).isEqualTo("the code contains only letters and digits other than 0, 1, I, L and O");
    }

    @Test
    void refusalNeverEchoesTheEnteredCode() {
        String reason = reasonFor(alphanumeric.parse("ABCDE0"));

        assertThat(reason).doesNotContain("ABCDE");
    }

    @Test
    void missingEntryAsksForTheCode() {
        String reason = reasonFor(digits.parse(null));

        assertThat(reason).isEqualTo("enter the 6-character code from the email");
    }
}
