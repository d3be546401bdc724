package io.otpgate.core.verification;

import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.tenant.Tenant;
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
     * Unless the mailbox is under its tenant's failure lock at {@code now}, counts one event against
     * every limit (all of them or, when one is full, none), cancels the pending verification (and its
     * unsent emails) of the same tenant, mailbox key and purpose, and inserts the new verification
     * with its first email; if the mailbox is locked or a limit is reached, changes nothing and says
     * which. At most one verification per tenant, mailbox key and purpose is ever pending.
     */
    default StartOutcome start(NewVerification verification, List<RateLimit> limits, Instant now) {
        return startAll(List.of(new LimitedStart(verification, limits, Optional.empty())), now)
                .get(0);
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

        /** Its idempotency key already started {@code id} with the same fingerprint: nothing changed. */
        record Replayed(VerificationId id) implements StartOutcome {}

        /** Its idempotency key already started another request in the last 24 hours: nothing changed. */
        record KeyReused() implements StartOutcome {}
    }

    /**
     * A verification to store and the limits it counts against; with an idempotency key, the store
     * first looks for the start that key made in its tenant within {@link Idempotency#LIFETIME},
     * and records the key with the verification in the same transaction.
     */
    record LimitedStart(NewVerification verification, List<RateLimit> limits, Optional<Idempotency> idempotency) {
        public LimitedStart {
            java.util.Objects.requireNonNull(verification, "verification");
            limits = List.copyOf(limits);
            java.util.Objects.requireNonNull(idempotency, "idempotency");
        }
    }

    Optional<Verification> find(VerificationId id);

    /** The tenant's pending verification of a mailbox and purpose, if it has not expired at {@code now}. */
    Optional<VerificationId> pending(Tenant tenant, MailboxKey mailbox, Purpose purpose, Instant now);

    /**
     * Checks one code, in one transaction. A verification of another tenant than {@code owner} is
     * {@link AttemptOutcome.Missing}, as if it did not exist. A pending verification whose mailbox is
     * under its tenant's failure lock at {@code now} changes nothing
     * ({@link AttemptOutcome.RecipientLocked}). Otherwise counts
     * one attempt if the verification is pending, unexpired and has attempts left; then asks the
     * matcher about the stored hash and records the result: approval (and the address's failure
     * count reset) on a match; on a miss, {@code failed} when it was the last attempt and one more
     * consecutive failure for the address, locking it when {@code lock.limit()} is reached.
     */
    AttemptOutcome attempt(VerificationId id, Tenant owner, Instant now, CodeMatcher matcher, FailureLock lock);

    /** Applies a resend decided by the engine; see {@link ReissueOutcome}. */
    ReissueOutcome reissue(Reissue reissue, List<RateLimit> limits, Instant now);

    /** Cancels a pending verification and its unsent emails; false if it was not pending. */
    boolean cancel(VerificationId id, Instant now);

    /** The verification's history, oldest first; empty for one that does not exist (or was purged). */
    List<VerificationEvent> events(VerificationId id);

    /**
     * Marks up to {@code limit} pending verifications whose code expired by {@code now} as expired,
     * each with its {@code verification.expired} event, in one transaction. Returns how many it
     * looked at: fewer than {@code limit} means none is left.
     */
    int expireDue(Instant now, int limit);

    /** When the tenant's failure lock on the mailbox ends, if it is locked at {@code now}. */
    Optional<Instant> lockedUntil(Tenant tenant, MailboxKey mailbox, Instant now);

    /** Clears the tenant's failure count and lock on the mailbox; false if there was nothing to clear. */
    boolean unlock(Tenant tenant, MailboxKey mailbox);

    /** The result of {@link #reissue}. */
    sealed interface ReissueOutcome {
        record Reissued(Verification verification) implements ReissueOutcome {}

        record RateLimited(Limited limited) implements ReissueOutcome {}

        /** The verification changed since the engine read it (another resend, a check, expiry). */
        record Stale() implements ReissueOutcome {}
    }
}
