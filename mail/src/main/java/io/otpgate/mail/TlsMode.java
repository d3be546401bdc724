package io.otpgate.mail;

import io.otpgate.core.Validated;
import java.util.Locale;

/** How the SMTP connection is encrypted ({@code OTPGATE_SMTP_TLS}). */
public enum TlsMode {

    /**
     * A plain connection upgraded with STARTTLS (RFC 3207). Required, never opportunistic: a server
     * that does not offer STARTTLS gets no message, since a network attacker can strip the offer.
     */
    STARTTLS,

    /** TLS from the first byte (RFC 8314 "implicit TLS"), usually on port 465. */
    SSL,

    /** No encryption; meant for a relay on the same host. */
    NONE;

    /** Reads {@code starttls}, {@code ssl} or {@code none}, in any case. */
    public static Validated<TlsMode> parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "starttls" -> Validated.valid(STARTTLS);
            case "ssl" -> Validated.valid(SSL);
            case "none" -> Validated.valid(NONE);
            default -> Validated.invalid("SMTP TLS mode must be starttls, ssl or none");
        };
    }

    /** The configuration word: {@code starttls}, {@code ssl} or {@code none}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
