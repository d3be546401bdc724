package io.otpgate.core.verification;

/** The outcome of {@link Verifier#cancel}. */
public sealed interface CancelResult {

    record Canceled(Verification verification) implements CancelResult {}

    record NotPending(Verification verification) implements CancelResult {}

    record NotFound() implements CancelResult {}
}
