package io.otpgate.core.verification;

import java.time.Instant;
import java.util.Objects;

/** The outcome of {@link Verifier#start}. Nothing is written unless it is {@link Started}. */
public sealed interface StartResult {

    /** Stored, with its email queued in the same transaction. */
    record Started(Verification verification) implements StartResult {
        public Started {
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** The address is not one address in an acceptable form. */
    record InvalidEmail(String reason) implements StartResult {}

    /** Another field is wrong; {@code field} names it as the API does. */
    record InvalidField(String field, String reason) implements StartResult {}

    /** A rate limit of {@code scope} ({@code recipient}, {@code ip}, {@code key}) is reached. */
    record RateLimited(String scope, Instant retryAt) implements StartResult {}

    /** Too many consecutive wrong checks on this address; it is locked until {@code until}. */
    record RecipientLocked(Instant until) implements StartResult {}
}
