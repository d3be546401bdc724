package io.otpgate.core.code;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever digit scripts, spaces, dashes, letter case and width a person mixes into a code, the
 * parser reads back exactly the code that was sent, so the API, the CLI and the pages accept it
 * alike; and the disguise never changes how many symbols it counts.
 */
class CodeFormatPropertiesTest {

    /** The zero of decimal digit scripts (each runs 0–9 in order), ASCII first so shrinking ends there. */
    private static final List<Integer> ZEROS = List.of(
            (int) '0', 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
            0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6);

    /** Spaces, dashes and bidi marks that people paste around and inside codes. */
    private static final List<Integer> SEPARATORS = List.of(
            (int) ' ',
            (int) '\t',
            (int) '-',
            0x00A0,
            0x1680,
            0x2002,
            0x2007,
            0x2009,
            0x200A,
            0x202F,
            0x205F,
            0x3000,
            0x2010,
            0x2011,
            0x2012,
            0x2013,
            0x2014,
            0x2015,
            0x2212,
            0xFE63,
            0xFF0D,
            0x200E,
            0x200F,
            0x061C);

    private static final String DIGITS = "0123456789";
    private static final String ALPHANUMERIC = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** How one symbol is typed: its digit script, lower case, full width, and what precedes it. */
    record Typing(int script, boolean lower, boolean wide, List<Integer> before) {}

    @Property
    void anyDigitScriptSpacesAndDashesReadBackTheDigitCode(
            @ForAll("digitCodes") String code, @ForAll("typings") List<Typing> typings) {
        CodeFormat format = new CodeFormat(Alphabet.DIGITS, code.length());

        OneTimeCode parsed = format.parse(disguise(code, typings)).orElseThrow();

        assertThat(parsed.reveal()).isEqualTo(code);
    }

    @Property
    void anyCaseWidthDigitScriptAndSeparatorsReadBackTheAlphanumericCode(
            @ForAll("alphanumericCodes") String code, @ForAll("typings") List<Typing> typings) {
        CodeFormat format = new CodeFormat(Alphabet.ALPHANUMERIC, code.length());

        OneTimeCode parsed = format.parse(disguise(code, typings)).orElseThrow();

        assertThat(parsed.reveal()).isEqualTo(code);
    }

    @Property
    void disguiseNeverChangesHowManySymbolsAreCounted(
            @ForAll("digitCodes") String code, @ForAll("typings") List<Typing> typings) {
        CodeFormat oneLonger = new CodeFormat(Alphabet.DIGITS, code.length() + 1);

        String reason = reasonFor(oneLonger.parse(disguise(code, typings)));

        assertThat(reason).isEqualTo("the code has " + (code.length() + 1) + " digits; you entered " + code.length());
    }

    @Provide
    Arbitrary<String> digitCodes() {
        return Arbitraries.strings().withChars(DIGITS).ofMinLength(4).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> alphanumericCodes() {
        return Arbitraries.strings().withChars(ALPHANUMERIC).ofMinLength(4).ofMaxLength(10);
    }

    @Provide
    Arbitrary<List<Typing>> typings() {
        Arbitrary<Typing> typing = Combinators.combine(
                        Arbitraries.integers().between(0, ZEROS.size() - 1),
                        Arbitraries.of(false, true),
                        Arbitraries.of(false, true),
                        Arbitraries.integers()
                                .between(0, SEPARATORS.size() - 1)
                                .map(SEPARATORS::get)
                                .list()
                                .ofMaxSize(3))
                .as(Typing::new);
        // One more than the longest code: the last typing's separators trail the code.
        return typing.list().ofSize(11);
    }

    private static String disguise(String code, List<Typing> typings) {
        StringBuilder typed = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            Typing typing = typings.get(i);
            typing.before().forEach(typed::appendCodePoint);
            char symbol = code.charAt(i);
            if (DIGITS.indexOf(symbol) >= 0) {
                typed.appendCodePoint(ZEROS.get(typing.script()) + symbol - '0');
            } else {
                char letter = typing.lower() ? Character.toLowerCase(symbol) : symbol;
                typed.appendCodePoint(typing.wide() ? letter + 0xFEE0 : letter);
            }
        }
        typings.get(code.length()).before().forEach(typed::appendCodePoint);
        return typed.toString();
    }
}
