package io.otpgate.core.verification;

import java.time.Instant;
import java.util.Objects;

/** What the store did with one check (see {@link VerificationStore#attempt}). */
public sealed interface AttemptOutcome {

    /** No such verification. */
    record Missing() implements AttemptOutcome {}

    /**
     * The verification is pending but its address is under a failure lock until {@code until}:
     * nothing was counted.
     */
    record RecipientLocked(Instant until) implements AttemptOutcome {
        public RecipientLocked {
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * No attempt was left to count: the verification is no longer pending, has expired (and is now
     * marked so) or has used every attempt.
     */
    record NotCounted(Verification verification) implements AttemptOutcome {
        public NotCounted {
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** One attempt was counted; {@code verification} is the state after it. */
    record Counted(Verification verification, boolean matched) implements AttemptOutcome {
        public Counted {
            Objects.requireNonNull(verification, "verification");
        }
    }
}
