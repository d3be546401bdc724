package io.otpgate.core.verification;

import java.time.Instant;

/**
 * The outcome of {@link Verifier#resend}. Callers branch with a {@code switch} over {@link
 * #kind()}, which the compiler checks for completeness.
 */
public sealed interface ResendResult {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        RESENT,
        TOO_SOON,
        MAX_SENDS_REACHED,
        NOT_PENDING,
        NOT_FOUND,
        RATE_LIMITED,
        RECIPIENT_LOCKED
    }

    Kind kind();

    /** A new code is queued; the old one no longer works. */
    record Resent(Verification verification) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.RESENT;
        }
    }

    /** The cooldown has not passed; try again at {@code retryAt}. */
    record TooSoon(Verification verification, Instant retryAt) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.TOO_SOON;
        }
    }

    record MaxSendsReached(Verification verification) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.MAX_SENDS_REACHED;
        }
    }

    /** Approved, expired, failed or canceled: nothing to resend. */
    record NotPending(Verification verification) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.NOT_PENDING;
        }
    }

    record NotFound() implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }
    }

    /** A rate limit of {@code scope} (see {@link io.otpgate.core.limit.RateLimit}) is reached. */
    record RateLimited(String scope, Instant retryAt) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.RATE_LIMITED;
        }
    }

    record RecipientLocked(Instant until) implements ResendResult {
        @Override
        public Kind kind() {
            return Kind.RECIPIENT_LOCKED;
        }
    }
}
