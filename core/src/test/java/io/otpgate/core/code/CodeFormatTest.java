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
                "١٢٣٤٥٦", // Arabic-Indic digits
                "１２３４５６" // full-width digits
            })
    void nonDigitsAreRefusedForDigitCodes(String typed) {
        String reason = reasonFor(digits.parse(typed));

        assertThat(reason).isEqualTo("the code contains only digits");
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
