package io.otpgate.core.delivery;

import io.otpgate.core.verification.VerificationId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The durable queue of emails to send (a port; the JDBC adapter implements it).
 *
 * <p>Claiming takes a lease: a claimed row belongs to its owner until {@code leaseUntil}, after
 * which any dispatcher may claim it again (the owner is presumed dead). Every state change names
 * the owner and applies only while that owner still holds the row, so a dispatcher that stalled
 * past its lease cannot overwrite the work of the one that took over.
 */
public interface Outbox {

    /**
     * Claims up to {@code limit} rows that are due (queued, retrying and due, or sending with an
     * expired lease), oldest first, skipping rows that another dispatcher is claiming right now.
     */
    List<QueuedEmail> claim(String owner, int limit, Instant now, Instant leaseUntil);

    /** The server accepted the message. Erases the sealed code. */
    boolean markSent(String id, String owner, Instant now, String reply);

    /**
     * {@link #markSent} for several rows in one transaction, each guarded by the owner as there.
     * Returns, in the order given, whether each row was recorded ({@code false}: the owner no
     * longer held it).
     */
    default List<Boolean> markSentAll(List<Sent> sent, String owner) {
        return sent.stream()
                .map(s -> markSent(s.id(), owner, s.at(), s.reply()))
                .toList();
    }

    /** A row the server accepted: when, and with what reply. */
    record Sent(String id, Instant at, String reply) {}

    /**
     * {@link #markSentAll} then {@link #claim}: a worker that has sent a batch records it and takes
     * the next one. A store that can does both in one transaction, so a batch costs one commit
     * rather than two; this default does them one after the other.
     */
    default Claim recordAndClaim(List<Sent> sent, String owner, int limit, Instant now, Instant leaseUntil) {
        return new Claim(markSentAll(sent, owner), claim(owner, limit, now, leaseUntil));
    }

    /** What {@link #recordAndClaim} did: whether each sent row was recorded, and the rows claimed. */
    record Claim(List<Boolean> recorded, List<QueuedEmail> claimed) {
        public Claim {
            recorded = List.copyOf(recorded);
            claimed = List.copyOf(claimed);
        }
    }

    /**
     * Those of these verifications whose newest email is not yet in a final state (queued, sending
     * or retrying): a cheaper question than {@link #newestByStatus} while most are still on their way,
     * and one whose answer shrinks as they settle.
     */
    List<VerificationId> unsettled(Collection<VerificationId> verifications);

    /** A temporary failure: try again at {@code nextAttemptAt}. */
    boolean retryLater(String id, String owner, Instant nextAttemptAt, String error);

    /** A permanent failure, or retries exhausted. Erases the sealed code. */
    boolean markFailed(String id, String owner, Instant now, String error);

    /** The code expired before it could be sent. Erases the sealed code. */
    boolean markExpired(String id, String owner, Instant now);

    /** Gives back every row this owner holds, at once, so a clean shutdown delays nothing. */
    int release(String owner);

    /** How many of the newest emails of these verifications are in each state. */
    Map<DeliveryStatus, Integer> newestByStatus(Collection<VerificationId> verifications);
}
