package io.otpgate.core.verification;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of {@link Verifier#start}. Nothing is written unless it is {@link Started}. Callers
 * branch with a {@code switch} over {@link #kind()}, which the compiler checks for completeness.
 */
public sealed interface StartResult {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        STARTED,
        REPLAYED,
        INVALID_EMAIL,
        INVALID_FIELD,
        RATE_LIMITED,
        RECIPIENT_LOCKED,
        IDEMPOTENCY_KEY_REUSED;

        /** The outcome's name in metrics: {@code started}, {@code recipient_locked}, … */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind();

    /** Stored, with its email queued in the same transaction. */
    record Started(Verification verification) implements StartResult {
        public Started {
            Objects.requireNonNull(verification, "verification");
        }

        @Override
        public Kind kind() {
            return Kind.STARTED;
        }
    }

    /**
     * The request's idempotency key already started this verification with the same content: it is
     * returned as it is now, and nothing was written, counted or sent.
     */
    record Replayed(Verification verification) implements StartResult {
        public Replayed {
            Objects.requireNonNull(verification, "verification");
        }

        @Override
        public Kind kind() {
            return Kind.REPLAYED;
        }
    }

    /** The address is not one address in an acceptable form. */
    record InvalidEmail(String reason) implements StartResult {
        @Override
        public Kind kind() {
            return Kind.INVALID_EMAIL;
        }
    }

    /** Another field is wrong; {@code field} names it as the API does. */
    record InvalidField(String field, String reason) implements StartResult {
        @Override
        public Kind kind() {
            return Kind.INVALID_FIELD;
        }
    }

    /** A rate limit of {@code scope} (see {@link io.otpgate.core.limit.RateLimit}) is reached. */
    record RateLimited(String scope, Instant retryAt) implements StartResult {
        @Override
        public Kind kind() {
            return Kind.RATE_LIMITED;
        }
    }

    /** Too many consecutive wrong checks on this address; it is locked until {@code until}. */
    record RecipientLocked(Instant until) implements StartResult {
        @Override
        public Kind kind() {
            return Kind.RECIPIENT_LOCKED;
        }
    }

    /** The idempotency key was used within 24 hours for a start with other content; nothing changed. */
    record IdempotencyKeyReused() implements StartResult {
        @Override
        public Kind kind() {
            return Kind.IDEMPOTENCY_KEY_REUSED;
        }
    }
}
