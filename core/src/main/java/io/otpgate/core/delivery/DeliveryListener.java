package io.otpgate.core.delivery;

/** Hears the outcome of each delivery attempt (metrics, the CLI's progress). */
@FunctionalInterface
public interface DeliveryListener {

    /** {@code status} is what the row became: sent, retrying, failed or expired_undelivered. */
    void delivered(QueuedEmail email, DeliveryStatus status, String reply);
}
