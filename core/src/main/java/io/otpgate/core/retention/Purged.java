package io.otpgate.core.retention;

/** What one purge removed: rows per kind (for the analytics rollup, hours of every tenant). */
public record Purged(
        long verifications,
        long rateBuckets,
        long recipientFailures,
        long idempotencyKeys,
        long webhookDeliveries,
        long statsHours) {

    public Purged {
        if (verifications < 0 || rateBuckets < 0 || recipientFailures < 0 || webhookDeliveries < 0 || statsHours < 0) {
            throw new IllegalArgumentException("row counts cannot be negative");
        }
    }
}
