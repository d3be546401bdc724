package io.otpgate.core.delivery;

import java.util.Locale;

/** Where one outbox email stands. */
public enum DeliveryStatus {
    QUEUED(false),
    SENDING(false),
    SENT(true),
    RETRYING(false),
    /** The server refused it for good (5xx) or every retry failed. */
    FAILED(true),
    /** The code expired before the email could be delivered, so it was not sent at all. */
    EXPIRED_UNDELIVERED(true),
    /** The code was replaced by a resend or the verification was canceled before sending. */
    CANCELED(true);

    private final boolean terminal;

    DeliveryStatus(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
