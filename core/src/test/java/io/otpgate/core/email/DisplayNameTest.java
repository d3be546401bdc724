package io.otpgate.core.email;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayNameTest {

    private static final String BASE = "Ada Lovelace";

    @Test
    void surroundingWhitespaceIsTrimmed() {
        DisplayName name = DisplayName.parse("   Ada Lovelace  ").orElseThrow();

        assertThat(name.value()).isEqualTo("Ada Lovelace");
    }

    static Stream<Arguments> controlCharactersAnywhere() {
        String[][] vectors = {
            {"CR", "\r", "U+000D"},
            {"LF", "\n", "U+000A"},
            {"CRLF", "\r\n", "U+000D"},
            {"NUL", "\u0000", "U+0000"},
            {"NEL", "\u0085", "U+0085"},
            {"LINE SEPARATOR", "\u2028", "U+2028"},
            {"PARAGRAPH SEPARATOR", "\u2029", "U+2029"},
        };
        List<Arguments> cases = new ArrayList<>();
        for (String[] vector : vectors) {
            for (int at = 0; at <= BASE.length(); at++) {
                String input = BASE.substring(0, at) + vector[1] + BASE.substring(at);
                cases.add(Arguments.of(vector[0], at, input, vector[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} at index {1}")
    @MethodSource("controlCharactersAnywhere")
    void controlCharacterAnywhereInTheNameIsRejected(String name, int index, String input, String codePoint) {
        String reason = reasonFor(DisplayName.parse(input));

        assertThat(reason).contains("control character").contains(codePoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ada\uD800", "\uDC00Ada", "Ada \uD83D Lovelace", "Ada\uDCA9\uD83D"})
    void unpairedSurrogateInTheNameIsRejectedAsABrokenCharacter(String typed) {
        String reason = reasonFor(DisplayName.parse(typed));

        assertThat(reason)
                .isEqualTo("the name contains a broken character (an unpaired UTF-16 surrogate, U+"
                        + String.format(
                                "%04X",
                                (int) typed.chars()
                                        .filter(c -> Character.isSurrogate((char) c))
                                        .findFirst()
                                        .orElseThrow())
                        + ")");
    }

    @Test
    void aNameStoredBeforeTheSurrogateRuleStaysReadable() {
        assertThat(new DisplayName("Ada \uD83D").value()).isEqualTo("Ada \uD83D");
    }

    @Test
    void aNameWithAnEmojiOutsideTheBasicPlaneIsAccepted() {
        assertThat(DisplayName.parse("Ada \uD83D\uDE00").orElseThrow().value()).isEqualTo("Ada \uD83D\uDE00");
    }

    @Test
    void crlfHeaderInjectionIsRejected() {
        String reason = reasonFor(DisplayName.parse("Ada\r\nBcc: eve@evil.example"));

        assertThat(reason).contains("control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"O'Brien, Ada", "<b>", "Ada \"the Countess\" Lovelace", "Zoë Ünal", "李雷"})
    void punctuationAndUnicodeThatAreHarmlessOnceEncodedAreAllowed(String typed) {
        DisplayName name = DisplayName.parse(typed).orElseThrow();

        assertThat(name.value()).isEqualTo(typed);
    }

    @Test
    void nameOf100CodePointsIsAccepted() {
        assertThat(DisplayName.parse("a".repeat(100)).isValid()).isTrue();
    }

    @Test
    void nameOf101CodePointsIsRejected() {
        assertThat(reasonFor(DisplayName.parse("a".repeat(101)))).contains("100");
    }

    @Test
    void lengthLimitCountsCodePointsNotUtf16Units() {
        // given 100 emoji: 100 code points but 200 UTF-16 units
        String emoji = "\uD83D\uDE00".repeat(100);

        // when
        DisplayName name = DisplayName.parse(emoji).orElseThrow();

        // then
        assertThat(name.value()).isEqualTo(emoji);
    }

    @Test
    void whitespaceAroundALongNameDoesNotCountTowardsTheLimit() {
        assertThat(DisplayName.parse("  " + "a".repeat(100) + "  ").isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankNameIsRejected(String typed) {
        assertThat(reasonFor(DisplayName.parse(typed))).contains("empty");
    }

    @Test
    void nullNameIsRejected() {
        assertThat(reasonFor(DisplayName.parse(null))).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {" Ada", "Ada ", "Ada\r\nBcc: x@y.z", ""})
    void constructorRefusesUncheckedValues(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DisplayName(value));
    }
}
