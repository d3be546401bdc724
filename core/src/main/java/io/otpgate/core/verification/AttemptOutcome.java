package io.otpgate.core.verification;

import java.util.Objects;

/** What the store did with one check (see {@link VerificationStore#attempt}). */
public sealed interface AttemptOutcome {

  /** No such verification. */
  record Missing() implements AttemptOutcome {}

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
