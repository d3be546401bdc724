package io.otpgate.core.email;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * The form of an address that every per-address limit, lock and lookup uses: the canonical address
 * with its local part case-folded (Unicode NFC, then {@link String#toLowerCase(Locale)} with
 * {@link Locale#ROOT}). {@code Ada@example.com}, {@code ada@example.com} and an NFD-composed variant
 * are one mailbox here, so letter case cannot buy an attacker a fresh budget; the email itself still
 * goes to the address as typed.
 *
 * <p>RFC 5321 lets a server treat local parts case-sensitively, but no mail system in use does, and
 * a limit that two spellings of one mailbox could share was the hole this closes.
 */
public record MailboxKey(String value) {

    public MailboxKey {
        Objects.requireNonNull(value, "value");
        if (value.indexOf('@') < 1) {
            throw new IllegalArgumentException("a mailbox key is local@domain");
        }
    }

    public static MailboxKey of(EmailAddress address) {
        return ofCanonical(address.value());
    }

    /**
     * The key of an address already in canonical form (domain lower-case ASCII), as the database
     * stores it: for migrating rows written before mailbox keys existed, without validating them
     * again under rules that may have grown stricter since.
     */
    public static MailboxKey ofCanonical(String address) {
        int at = address.lastIndexOf('@');
        return new MailboxKey(fold(address.substring(0, at)) + address.substring(at));
    }

    /**
     * The key of the all-tenant hourly ceiling: this key without a {@code +tag} in the local part,
     * because most providers deliver {@code ada+1@…} and {@code ada+2@…} to one inbox and a bomber
     * would otherwise get a fresh ceiling per tag.
     */
    public MailboxKey withoutTag() {
        int at = value.lastIndexOf('@');
        int plus = value.indexOf('+');
        return plus > 0 && plus < at ? new MailboxKey(value.substring(0, plus) + value.substring(at)) : this;
    }

    private static String fold(String localPart) {
        return Normalizer.normalize(localPart, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
