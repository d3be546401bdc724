package io.otpgate.mail;

import io.otpgate.core.Validated;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The From header of every email ({@code OTPGATE_MAIL_FROM}): an optional display name and one
 * address, such as {@code OTPGate <no-reply@example.com>}. Its domain also names the Message-ID.
 *
 * <p>The address must be plain ASCII: without SMTPUTF8 (RFC 6531), which this adapter does not use,
 * a non-ASCII envelope sender cannot be sent. Write an international domain in its punycode form.
 * The display name may be any text without control characters; it is sent RFC 2047-encoded.
 *
 * @param name the display name, if any
 * @param address the bare address, such as {@code no-reply@example.com}
 */
public record MailFrom(Optional<String> name, String address) {

    /** {@code OTPGate <no-reply@localhost>}, the design's default. */
    public static final MailFrom DEFAULT = new MailFrom(Optional.of("OTPGate"), "no-reply@localhost");

    public MailFrom {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        name.ifPresent(n -> {
            if (n.isBlank() || hasControlCharacter(n)) {
                throw new IllegalArgumentException("the From name must be non-blank text without control characters");
            }
        });
        String problem = addressProblem(address);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Parses {@code Name <address>} or a bare address with Jakarta Mail's strict parser; lists,
     * groups and anything with a control character are refused.
     */
    public static Validated<MailFrom> parse(String text) {
        if (text == null || text.isBlank()) {
            return Validated.invalid("the From address is empty");
        }
        // Checked before parsing: a line break here would end the From header (CWE-93).
        if (hasControlCharacter(text)) {
            return Validated.invalid("the From address contains a control character");
        }
        try {
            // The strict constructor refuses lists; validate() applies the RFC 822 syntax checks that
            // the one-argument constructor skips.
            InternetAddress parsed = new InternetAddress(text.strip(), true);
            if (parsed.isGroup()) {
                return Validated.invalid("the From address must be one address, not a group");
            }
            parsed.validate();
            String personal = parsed.getPersonal();
            Optional<String> name =
                    personal == null || personal.isBlank() ? Optional.empty() : Optional.of(personal.strip());
            return Validated.valid(new MailFrom(name, parsed.getAddress()));
        } catch (AddressException e) {
            return Validated.invalid("the From address is not valid: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Validated.invalid(e.getMessage());
        }
    }

    /** The part after the {@code @}. */
    String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    InternetAddress toInternetAddress() {
        try {
            return new InternetAddress(address, name.orElse(null), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    @Override
    public String toString() {
        return name.map(n -> n + " <" + address + ">").orElse(address);
    }

    private static String addressProblem(String address) {
        if (!address.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return "the From address must be plain ASCII without spaces"
                    + " (write an international domain in its punycode form)";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "the From address needs a local part, an @ and a domain";
        }
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (!parsed.getAddress().equals(address)) {
                return "give the bare From address here, without a name or angle brackets";
            }
        } catch (AddressException e) {
            return "the From address is not valid: " + e.getMessage();
        }
        return null;
    }

    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029');
    }
}
