package io.otpgate.core.verification;

import java.time.Instant;

/** The outcome of {@link Verifier#resend}. */
public sealed interface ResendResult {

    /** A new code is queued; the old one no longer works. */
    record Resent(Verification verification) implements ResendResult {}

    /** The cooldown has not passed; try again at {@code retryAt}. */
    record TooSoon(Verification verification, Instant retryAt) implements ResendResult {}

    record MaxSendsReached(Verification verification) implements ResendResult {}

    /** Approved, expired, failed or canceled: nothing to resend. */
    record NotPending(Verification verification) implements ResendResult {}

    record NotFound() implements ResendResult {}

    record RateLimited(String scope, Instant retryAt) implements ResendResult {}

    record RecipientLocked(Instant until) implements ResendResult {}
}
