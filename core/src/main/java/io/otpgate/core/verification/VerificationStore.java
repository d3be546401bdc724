package io.otpgate.core.verification;

import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable verifications, their counters and the rate limits around them (a port; the JDBC adapter
 * implements it).
 *
 * <p>Every method is one transaction, committed durably before it returns. Every counter changes
 * in one conditional statement whose row count is checked, so concurrent callers in any number of
 * processes cannot both take the last attempt, the last send or the approval.
 */
public interface VerificationStore {

  /**
   * Counts one event against each limit, cancels the pending verification (and its unsent emails)
   * of the same address and purpose, and inserts the new verification with its first email; or,
   * if a limit is reached, changes nothing and says which.
   */
  default Optional<Limited> start(NewVerification verification, List<RateLimit> limits, Instant now) {
    return startAll(List.of(new LimitedStart(verification, limits)), now).get(0);
  }

  /**
   * {@link #start} for many verifications in one transaction: each is applied or, when one of its
   * limits is reached, skipped alone, and the results come back in order. One commit for many rows
   * is what makes a large batch fast.
   */
  List<Optional<Limited>> startAll(List<LimitedStart> starts, Instant now);

  /** A verification to store and the limits it counts against. */
  record LimitedStart(NewVerification verification, List<RateLimit> limits) {
    public LimitedStart {
      java.util.Objects.requireNonNull(verification, "verification");
      limits = List.copyOf(limits);
    }
  }

  Optional<Verification> find(VerificationId id);

  /** The newest pending verification of an address and purpose that has not expired at {@code now}. */
  Optional<VerificationId> newestPending(EmailAddress email, Purpose purpose, Instant now);

  /**
   * Counts one attempt if the verification is pending, unexpired and has attempts left; then asks
   * the matcher about the stored hash and records the result: approval (and the address's failure
   * count reset) on a match; on a miss, {@code failed} when it was the last attempt and one more
   * consecutive failure for the address, locking it when {@code lock.limit()} is reached.
   */
  AttemptOutcome attempt(VerificationId id, Instant now, CodeMatcher matcher, FailureLock lock);

  /** Applies a resend decided by the engine; see {@link ReissueOutcome}. */
  ReissueOutcome reissue(Reissue reissue, List<RateLimit> limits, Instant now);

  /** Cancels a pending verification and its unsent emails; false if it was not pending. */
  boolean cancel(VerificationId id, Instant now);

  /** When the address's failure lock ends, if it is locked at {@code now}. */
  Optional<Instant> lockedUntil(EmailAddress email, Instant now);

  /** Clears the address's failure count and lock; false if there was nothing to clear. */
  boolean unlock(EmailAddress email);

  /** The result of {@link #reissue}. */
  sealed interface ReissueOutcome {
    record Reissued(Verification verification) implements ReissueOutcome {}

    record RateLimited(Limited limited) implements ReissueOutcome {}

    /** The verification changed since the engine read it (another resend, a check, expiry). */
    record Stale() implements ReissueOutcome {}
  }
}
