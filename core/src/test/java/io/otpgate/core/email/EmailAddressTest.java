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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    private static final String BASE = "ada.lovelace@example.com";

    // --- canonical form -------------------------------------------------------------------------

    @Test
    void surroundingWhitespaceIsTrimmed() {
        // given
        String typed = "   ada@example.com  ";

        // when
        EmailAddress address = EmailAddress.parse(typed).orElseThrow();

        // then
        assertThat(address.value()).isEqualTo("ada@example.com");
    }

    @Test
    void domainIsLowerCased() {
        EmailAddress address = EmailAddress.parse("ada@Mail.EXAMPLE.Com").orElseThrow();

        assertThat(address.domain()).isEqualTo("mail.example.com");
    }

    @Test
    void internationalDomainIsPunycodedAndLocalPartCaseIsKept() {
        EmailAddress address = EmailAddress.parse("Ada@Bücher.Example").orElseThrow();

        assertThat(address.value()).isEqualTo("Ada@xn--bcher-kva.example");
    }

    @Test
    void localPartCaseIsKept() {
        EmailAddress address = EmailAddress.parse("Ada.LoveLace@example.com").orElseThrow();

        assertThat(address.localPart()).isEqualTo("Ada.LoveLace");
    }

    @Test
    void upperCaseAndUnicodeSpellingsOfOneDomainShareOneCanonicalForm() {
        EmailAddress unicode = EmailAddress.parse("ada@BÜCHER.example").orElseThrow();
        EmailAddress ascii = EmailAddress.parse("ada@XN--BCHER-KVA.EXAMPLE").orElseThrow();

        assertThat(unicode).isEqualTo(ascii);
    }

    @Test
    void nonAsciiLocalPartIsRefusedBecauseItNeedsSmtputf8() {
        assertThat(reasonFor(EmailAddress.parse("josé.müller@example.com"))).contains("ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "Ada@xn--bcher-kva.example", "a+tag@sub.example.org"})
    void canonicalAddressParsesToItself(String canonical) {
        EmailAddress address = EmailAddress.parse(canonical).orElseThrow();

        assertThat(address.value()).isEqualTo(canonical);
    }

    @Test
    void constructorAcceptsACanonicalValue() {
        EmailAddress address = new EmailAddress("Ada@xn--bcher-kva.example");

        assertThat(address.value()).isEqualTo("Ada@xn--bcher-kva.example");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                " ada@example.com",
                "ada@example.com ",
                "ada@Example.com",
                "Ada@Bücher.Example",
                "not an address",
                "a@b.com,c@d.com",
                "ada@example.com\r\nBcc: eve@evil.example"
            })
    void constructorRefusesNonCanonicalValues(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> new EmailAddress(value));
    }

    @Test
    void maskedHidesTheLocalPart() {
        // given
        EmailAddress address = EmailAddress.parse("ada.lovelace@example.com").orElseThrow();

        // when
        String masked = address.masked();

        // then
        assertThat(masked).isEqualTo("a***@example.com").doesNotContain("lovelace");
    }

    @Test
    void maskedShowsOnlyTheFirstCharacterOfTheLocalPart() {
        EmailAddress address = EmailAddress.parse("ada.lovelace@example.com").orElseThrow();

        assertThat(address.masked()).isEqualTo("a***@example.com");
    }

    // --- header injection -----------------------------------------------------------------------

    /** Every line-breaking character, at every position of an otherwise good address. */
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
    void controlCharacterAnywhereInTheAddressIsRejected(String name, int index, String input, String codePoint) {
        String reason = reasonFor(EmailAddress.parse(input));

        assertThat(reason).contains("control character").contains(codePoint);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ada@example.com\r\nBcc: eve@evil.example",
                "ada@example.com\nBcc: eve@evil.example",
                "ada@example.com\rBcc: eve@evil.example",
                "ada@example.com\r\n",
                "\r\nada@example.com",
                "ada@example.com\u0000@evil.example",
                "ada@example.com\u0085Bcc: eve@evil.example",
                "ada@example.com\u2028Bcc: eve@evil.example",
                "ada@example.com\u2029Bcc: eve@evil.example",
                "ada\tlovelace@example.com",
                "ada\u007F@example.com",
                "ada\u009B@example.com"
            })
    void headerInjectionPayloadIsRejectedRatherThanTrimmed(String input) {
        String reason = reasonFor(EmailAddress.parse(input));

        assertThat(reason).contains("control character");
    }

    // --- exactly one bare addr-spec -------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "a@b.com,c@d.com              | only one address",
                "a@b.com;c@d.com              | only one address",
                "a@b.com c@d.com              | only one address",
                "a@b.com, c@d.com             | only one address",
                "<a@b.com>c@d.com             | only one address",
                "@route:a@b.com               | only one address",
                "@r1,@r2:a@b.com              | only one address",
                "Name <a@b.com>               | space",
                "Name<a@b.com>                | angle brackets",
                "<a@b.com>                    | angle brackets",
                "x:a@b.com;                   | groups",
                "undisclosed-recipients:;     | no @",
                "a(x)@b.com                   | comments",
                "(x)a@b.com                   | comments",
                "\"a\"@b.com                  | quoted",
                "\"a b\"@b.com                | quoted",
                "\"a@b\"@c.com                | only one address",
                "a@b.com(x)                   | not a valid host name",
                "a@b.com>                     | not a valid host name"
            })
    void anythingButOneBareAddressIsRejectedWithAReason(String input, String reasonFragment) {
        String reason = reasonFor(EmailAddress.parse(input));

        assertThat(reason).contains(reasonFragment);
    }

    // --- lengths --------------------------------------------------------------------------------

    @Test
    void localPartOf64OctetsIsAccepted() {
        String local = "a".repeat(64);

        EmailAddress address = EmailAddress.parse(local + "@example.com").orElseThrow();

        assertThat(address.localPart()).hasSize(64);
    }

    @Test
    void localPartOf65OctetsIsRejected() {
        String reason = reasonFor(EmailAddress.parse("a".repeat(65) + "@example.com"));

        assertThat(reason).contains("64");
    }

    @Test
    void localPartOf64IsAcceptedAnd65Refused() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.com").isValid())
                .isTrue();
        assertThat(reasonFor(EmailAddress.parse("a".repeat(65) + "@example.com")))
                .contains("64");
    }

    @Test
    void addressOf254OctetsIsAccepted() {
        String address = "a".repeat(64) + "@" + domainEndingInLabelOf(57); // 64 + 1 + 189

        assertThat(address).hasSize(254);
        assertThat(EmailAddress.parse(address).isValid()).isTrue();
    }

    @Test
    void addressLongerThan254OctetsIsRejected() {
        String address = "a".repeat(64) + "@" + domainEndingInLabelOf(58); // 64 + 1 + 190

        assertThat(address).hasSize(255);
        assertThat(reasonFor(EmailAddress.parse(address))).contains("254");
    }

    /** Two 63-octet labels, one of {@code last} octets and {@code .com}: 132 + last octets. */
    private static String domainEndingInLabelOf(int last) {
        return "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(last) + ".com";
    }

    // --- malformed parts ------------------------------------------------------------------------

    @Test
    void domainWithoutDotIsRejected() {
        assertThat(reasonFor(EmailAddress.parse("ada@localhost"))).contains("no dot");
    }

    @Test
    void emptyLocalPartIsRejected() {
        assertThat(reasonFor(EmailAddress.parse("@example.com"))).contains("before @ is empty");
    }

    @Test
    void emptyDomainIsRejected() {
        assertThat(reasonFor(EmailAddress.parse("ada@"))).contains("after @ is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ada.example.com"})
    void inputWithoutAnAddressIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).isNotBlank();
    }

    @Test
    void nullIsRejected() {
        assertThat(reasonFor(EmailAddress.parse(null))).contains("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@[127.0.0.1]", "ada@[IPv6:::1]"})
    void ipLiteralIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("IP address literals");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada..lovelace@example.com", ".ada@example.com", "ada.@example.com"})
    void misplacedDotInLocalPartIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("misplaced dot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example..com", "ada@.example.com", "ada@example.com.."})
    void consecutiveDotsInDomainAreRejected(String input) {
        assertThat(EmailAddress.parse(input).isValid()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ada@exa_mple.com",
                "ada@-example.com",
                "ada@example.com/evil",
                "ada@example.com\u00A0",
                "ada@b\uFF20evil.com",
                "ada@b\uFF0Ccom"
            })
    void domainThatIsNoHostNameIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("not a valid host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada\uD800@example.com", "ada@exa\uDC00mple.com", "\uD83D", "ada@example.com\uD83D"})
    void unpairedSurrogateAnywhereIsRejectedAsABrokenCharacter(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("unpaired UTF-16 surrogate");
    }

    @Test
    void aPairedSurrogateIsNotMistakenForAnUnpairedOne() {
        // U+1F4A9 in the domain is refused by IDNA, but as a host name, not as a broken character.
        assertThat(reasonFor(EmailAddress.parse("ada@\uD83D\uDCA9.example"))).doesNotContain("surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@example.123", "a@1.2.3.4", "a@example.0", "a@example.123."})
    void numericTopLevelDomainIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("ends in a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@123.example.com", "a@example.c0m", "a@1e100.net"})
    void digitsElsewhereInTheDomainAreFine(String input) {
        assertThat(EmailAddress.parse(input).isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a@xn--zz.com", // not decodable
                "a@xn--a.com", // not decodable
                "a@XN--ZZ.com", // upper case is lower-cased first, and still refused
                "a@mail.xn--zz.com", // any label, not only the first
                "a@example.xn--zz", // the top-level one too
                "a@xn--ssa.com", // decodes to a lone combining diaeresis
                "a@xn--ls8h.com" // decodes to U+1F4A9, which the IDNA tables do not allow
            })
    void invalidPunycodeLabelIsRejected(String input) {
        assertThat(reasonFor(EmailAddress.parse(input))).contains("not a valid international name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@xn--bcher-kva.de", "a@bücher.de", "a@XN--BCHER-KVA.de", "a@xn--55qx5d.cn", "a@公司.cn"})
    void validInternationalDomainsAreAcceptedEncodedOrNot(String input) {
        EmailAddress address = EmailAddress.parse(input).orElseThrow();

        assertThat(address.domain()).startsWith("xn--");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@example.123", "a@xn--zz.com"})
    void anAddressStoredBeforeTheStricterDomainRulesStaysReadable(String stored) {
        assertThat(new EmailAddress(stored).value()).isEqualTo(stored);
        assertThat(EmailAddress.parse(stored).isValid())
                .as("but no new one is accepted")
                .isFalse();
    }

    @Test
    void encodedAndUnicodeSpellingsOfAnInternationalDomainAreOneAddress() {
        assertThat(EmailAddress.parse("a@bücher.de").orElseThrow())
                .isEqualTo(EmailAddress.parse("a@xn--bcher-kva.de").orElseThrow());
    }
}
