package io.otpgate.core.email;

import io.otpgate.core.Validated;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One email address in canonical form: surrounding whitespace trimmed, the domain lower-cased and
 * IDNA-encoded (ASCII), the local part kept exactly as typed.
 *
 * <p>The local part is never case-folded: RFC 5321 §2.4 leaves its case to the receiving host,
 * and folding it has sent mail to look-alike mailboxes before (Django CVE-2019-19844). The parser
 * accepts exactly one bare addr-spec. Lists, groups, route addresses, comments, angle brackets and
 * quoted local parts are refused: they are where parser differentials between this code, Jakarta
 * Mail and the receiving MTA live, and nobody needs them to receive a verification code.
 */
public record EmailAddress(String value) {

    private static final int MAX_LOCAL_OCTETS = 64;
    private static final int MAX_DOMAIN_OCTETS = 255;
    private static final int MAX_ADDRESS_OCTETS = 254;
    /** RFC 5322 atext plus the dot of dot-atom. */
    private static final String LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~.";
    /** The ACE prefix that marks a Punycode-encoded label (RFC 5890 §2.3.2.1). */
    private static final String ACE_PREFIX = "xn--";

    /** Accepts only a value that is already canonical; {@link #parse} is the way in for input. */
    public EmailAddress {
        Objects.requireNonNull(value, "value");
        if (!(canonicalize(value) instanceof Validated.Valid<String> valid)
                || !valid.value().equals(value)) {
            throw new IllegalArgumentException("not a canonical email address");
        }
    }

    /** Parses untrusted input into a canonical address, or says why it is not one. */
    public static Validated<EmailAddress> parse(String input) {
        Validated<String> canonical = canonicalize(input);
        if (canonical instanceof Validated.Valid<String> valid) {
            String problem =
                    hostNameProblem(valid.value().substring(valid.value().lastIndexOf('@') + 1));
            if (problem != null) {
                return Validated.invalid(problem);
            }
        }
        return canonical.map(EmailAddress::new);
    }

    private static Validated<String> canonicalize(String input) {
        if (input == null) {
            return Validated.invalid("an email address is required");
        }
        String unfit = HeaderText.problem(input, "the address");
        if (unfit != null) {
            return Validated.invalid(unfit);
        }
        String text = input.strip();
        if (text.isEmpty()) {
            return Validated.invalid("an email address is required");
        }
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return Validated.invalid("the address has no @");
        }
        if (text.indexOf('@') != at) {
            return Validated.invalid("the address has more than one @ (only one address is allowed)");
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        String localProblem = localPartProblem(local);
        if (localProblem != null) {
            return Validated.invalid(localProblem);
        }
        Validated<String> asciiDomain = canonicalDomain(domain);
        if (asciiDomain instanceof Validated.Invalid<String> invalid) {
            return Validated.invalid(invalid.reason());
        }
        String canonical = local + "@" + asciiDomain.orElseThrow();
        if (canonical.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_OCTETS) {
            return Validated.invalid("the address is longer than 254 characters");
        }
        return Validated.valid(canonical);
    }

    /** The domain part, already lower-case ASCII; safe to log. */
    public String domain() {
        return value.substring(value.lastIndexOf('@') + 1);
    }

    /** The local part as typed. */
    public String localPart() {
        return value.substring(0, value.lastIndexOf('@'));
    }

    /**
     * A form for logs: the first character of the local part and the domain ({@code a***@example.com}),
     * enough to correlate a support request without putting the full address in every log line.
     */
    public String masked() {
        return value.charAt(0) + "***@" + domain();
    }

    @Override
    public String toString() {
        return value;
    }

    private static String localPartProblem(String local) {
        if (local.isEmpty()) {
            return "the part before @ is empty";
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_OCTETS) {
            return "the part before @ is longer than 64 characters";
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "the part before @ has a misplaced dot";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c >= 0x80) {
                // Non-ASCII local parts need SMTPUTF8 end to end; without it they would leave as other
                // bytes and could reach another mailbox than the one verified. (Domains are IDNA-encoded.)
                return "the part before @ must be ASCII (international domains are fine)";
            }
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || LOCAL_SPECIALS.indexOf(c) >= 0;
            if (!allowed) {
                return describeForbidden(c);
            }
        }
        return null;
    }

    private static String describeForbidden(char c) {
        return switch (c) {
            case ',', ';' -> "only one address is allowed";
            case '<', '>' -> "give the bare address, without a name or angle brackets";
            case '(', ')' -> "comments are not allowed in the address";
            case ':' -> "address groups are not allowed";
            case '"' -> "quoted addresses are not allowed";
            case ' ', '\t' -> "the address contains a space";
            default -> "the address contains the character '" + c + "'";
        };
    }

    private static Validated<String> canonicalDomain(String domain) {
        if (domain.isEmpty()) {
            return Validated.invalid("the part after @ is empty");
        }
        if (domain.startsWith("[")) {
            return Validated.invalid("IP address literals are not allowed");
        }
        String ascii;
        try {
            // IDN.toASCII rejects labels over 63 octets and characters that cannot appear in a host name.
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Validated.invalid("the domain is not a valid host name");
        }
        if (ascii.length() > MAX_DOMAIN_OCTETS) {
            return Validated.invalid("the domain is longer than 255 characters");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.indexOf('.') < 0) {
            return Validated.invalid("the domain has no dot");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                return Validated.invalid("the domain has an empty label");
            }
        }
        return Validated.valid(ascii);
    }

    /**
     * Rules for new addresses only, checked by {@link #parse} and not by the constructor: earlier
     * versions accepted such domains, and their stored verifications must stay readable until
     * they are purged.
     */
    private static String hostNameProblem(String asciiDomain) {
        String[] labels = asciiDomain.split("\\.");
        for (String label : labels) {
            if (label.startsWith(ACE_PREFIX) && !isValidPunycode(label)) {
                return "the domain part '" + label + "' is not a valid international name";
            }
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            // No top-level domain is numeric (RFC 3696 §2); "a@1.2.3.4" is an IP address in disguise.
            return "the domain ends in a number, and no top-level domain does";
        }
        return null;
    }

    /**
     * Whether an {@code xn--} label decodes to Unicode and encodes back to itself. {@link IDN#toASCII}
     * passes any ASCII label through unchecked, so {@code xn--zz} would reach the MTA, which may
     * refuse it or decode it differently; an A-label that is not the encoding of a U-label is not a
     * host name (RFC 5891 §5.4). A U-label cannot begin with a combining mark (RFC 5891 §4.2.3.2).
     */
    private static boolean isValidPunycode(String label) {
        // toUnicode gives its input back unchanged when it cannot decode it.
        String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
        if (unicode.startsWith(ACE_PREFIX) || unicode.isEmpty()) {
            return false;
        }
        int type = Character.getType(unicode.codePointAt(0));
        if (type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) {
            return false;
        }
        try {
            return IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
