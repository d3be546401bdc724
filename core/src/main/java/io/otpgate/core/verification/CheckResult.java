package io.otpgate.core.verification;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of checking a code. A wrong code is an outcome, not an exception; the compiler
 * makes every caller handle each case.
 */
public sealed interface CheckResult {

    /** The results that concern an existing verification. */
    sealed interface Decided extends CheckResult {
        Verification verification();
    }

    /** Right code: the verification is approved and the code is spent. */
    record Approved(Verification verification) implements Decided {
        public Approved {
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** Wrong code; one attempt is used. */
    record Incorrect(Verification verification) implements Decided {
        public Incorrect {
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** The code expired; the attempt was not counted. */
    record Expired(Verification verification) implements Decided {}

    /**
     * The attempt budget is spent: this check was the last wrong one, or it was already spent. A
     * right code is refused too.
     */
    record Exhausted(Verification verification) implements Decided {}

    /** Approved earlier; codes are single-use. */
    record AlreadyApproved(Verification verification) implements Decided {}

    record Canceled(Verification verification) implements Decided {}

    /** Wrong length or alphabet: explained, and no attempt is used. */
    record InvalidFormat(String reason) implements CheckResult {}

    /** No such verification (or, when checking by address, no pending one). */
    record NotFound() implements CheckResult {}

    /** The address is locked after too many consecutive wrong checks. */
    record RecipientLocked(Instant until) implements CheckResult {}
}
