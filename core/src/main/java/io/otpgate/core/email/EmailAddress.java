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
        return canonicalize(input).map(EmailAddress::new);
    }

    private static Validated<String> canonicalize(String input) {
        if (input == null) {
            return Validated.invalid("an email address is required");
        }
        String control = HeaderText.firstControlCharacter(input);
        if (control != null) {
            return Validated.invalid("the address contains a control character (" + control + ")");
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
}
