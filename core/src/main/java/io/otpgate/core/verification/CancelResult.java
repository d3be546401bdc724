package io.otpgate.core.verification;

/**
 * The outcome of {@link Verifier#cancel}. Callers branch with a {@code switch} over {@link
 * #kind()}, which the compiler checks for completeness.
 */
public sealed interface CancelResult {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        CANCELED,
        NOT_PENDING,
        NOT_FOUND
    }

    Kind kind();

    record Canceled(Verification verification) implements CancelResult {
        @Override
        public Kind kind() {
            return Kind.CANCELED;
        }
    }

    record NotPending(Verification verification) implements CancelResult {
        @Override
        public Kind kind() {
            return Kind.NOT_PENDING;
        }
    }

    record NotFound() implements CancelResult {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }
    }
}
