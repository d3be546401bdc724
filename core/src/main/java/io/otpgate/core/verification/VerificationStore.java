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
     * Unless the address is under a failure lock at {@code now}, counts one event against each
     * limit, cancels the pending verification (and its unsent emails) of the same address and
     * purpose, and inserts the new verification with its first email; if the address is locked or a
     * limit is reached, changes nothing and says which.
     */
    default StartOutcome start(NewVerification verification, List<RateLimit> limits, Instant now) {
        return startAll(List.of(new LimitedStart(verification, limits)), now).get(0);
    }

    /**
     * {@link #start} for many verifications in one transaction: each is applied or, when its address
     * is locked or one of its limits is reached, skipped alone, and the results come back in order.
     * One commit for many rows is what makes a large batch fast; reading the locks in the same
     * transaction saves a round trip per row.
     */
    List<StartOutcome> startAll(List<LimitedStart> starts, Instant now);

    /** The result of {@link #start}, for one verification. */
    sealed interface StartOutcome {
        /** The verification and its first email are stored. */
        record Stored() implements StartOutcome {}

        /** A limit was reached: nothing was stored and nothing counted. */
        record RateLimited(Limited limited) implements StartOutcome {}

        /** The address is under a failure lock until {@code until}: nothing was stored or counted. */
        record RecipientLocked(Instant until) implements StartOutcome {}
    }

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
     * Checks one code, in one transaction. A pending verification whose address is under a failure
     * lock at {@code now} changes nothing ({@link AttemptOutcome.RecipientLocked}). Otherwise counts
     * one attempt if the verification is pending, unexpired and has attempts left; then asks the
     * matcher about the stored hash and records the result: approval (and the address's failure
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
