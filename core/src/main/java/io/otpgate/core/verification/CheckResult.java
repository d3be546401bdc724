package io.otpgate.core.verification;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of checking a code. A wrong code is an outcome, not an exception. Callers branch with
 * a {@code switch} expression over {@link #kind()}, so the compiler makes every caller handle each
 * case: a new outcome does not compile until each of them answers it.
 */
public sealed interface CheckResult {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        APPROVED,
        INCORRECT,
        EXPIRED,
        EXHAUSTED,
        ALREADY_APPROVED,
        CANCELED,
        INVALID_FORMAT,
        NOT_FOUND,
        RECIPIENT_LOCKED;

        /** The outcome's name in metrics: {@code approved}, {@code recipient_locked}, … */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind();

    /** The results that concern an existing verification. */
    sealed interface Decided extends CheckResult {
        Verification verification();
    }

    /** Right code: the verification is approved and the code is spent. */
    record Approved(Verification verification) implements Decided {
        public Approved {
            Objects.requireNonNull(verification, "verification");
        }

        @Override
        public Kind kind() {
            return Kind.APPROVED;
        }
    }

    /** Wrong code; one attempt is used. */
    record Incorrect(Verification verification) implements Decided {
        public Incorrect {
            Objects.requireNonNull(verification, "verification");
        }

        @Override
        public Kind kind() {
            return Kind.INCORRECT;
        }
    }

    /** The code expired; the attempt was not counted. */
    record Expired(Verification verification) implements Decided {
        @Override
        public Kind kind() {
            return Kind.EXPIRED;
        }
    }

    /**
     * The attempt budget is spent: this check was the last wrong one, or it was already spent. A
     * right code is refused too.
     */
    record Exhausted(Verification verification) implements Decided {
        @Override
        public Kind kind() {
            return Kind.EXHAUSTED;
        }
    }

    /** Approved earlier; codes are single-use. */
    record AlreadyApproved(Verification verification) implements Decided {
        @Override
        public Kind kind() {
            return Kind.ALREADY_APPROVED;
        }
    }

    record Canceled(Verification verification) implements Decided {
        @Override
        public Kind kind() {
            return Kind.CANCELED;
        }
    }

    /** Wrong length or alphabet: explained, and no attempt is used. */
    record InvalidFormat(String reason) implements CheckResult {
        @Override
        public Kind kind() {
            return Kind.INVALID_FORMAT;
        }
    }

    /** No such verification (or, when checking by address, no pending one). */
    record NotFound() implements CheckResult {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }
    }

    /** The address is locked after too many consecutive wrong checks. */
    record RecipientLocked(Instant until) implements CheckResult {
        @Override
        public Kind kind() {
            return Kind.RECIPIENT_LOCKED;
        }
    }
}
