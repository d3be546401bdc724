package io.otpgate.core.delivery;

import io.otpgate.core.id.VerificationId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The durable queue of emails to send (a port; the JDBC adapter implements it).
 *
 * <p>Claiming takes a lease: a claimed row belongs to its owner for the lease, which its owner
 * renews ({@link #renew}) while it lives; once a lease has run out any dispatcher may claim the row
 * again (the owner is presumed dead). A lease is measured by the database's clock alone, when it is
 * taken, renewed and judged, so an instance whose clock is wrong can neither take a live lease nor
 * keep a dead one's rows waiting. Every claim of a row takes a new claim number
 * ({@link QueuedEmail#claim()}), and every outcome is recorded only while the row still carries
 * that number, so a dispatcher that stalled past its lease can neither overwrite the work of the
 * one that took over nor record for a later claim of its own.
 *
 * <p>The send decision is made at claim time, in the claim's transaction: a row is claimed only if
 * its verification is pending, unexpired and still points at it (its code is the current one).
 * Rows that lose this way are settled in the same transaction, {@code canceled} or
 * {@code expired_undelivered}, with their sealed code erased, whoever held them before.
 */
public interface Outbox {

    /**
     * Claims up to {@code limit} rows that are due (queued, or retrying and due at {@code now}, or
     * sending with a lease the database's clock says is over), oldest first, skipping rows that
     * another dispatcher is claiming right now and settling those whose code is no longer current at
     * {@code now} (see above). Each claimed row is leased for {@code lease} from the database's now.
     *
     * @param now the instance's clock: what is due, and which codes have expired (the instance
     *     scheduled both)
     */
    List<QueuedEmail> claim(String owner, int limit, Instant now, Duration lease);

    /**
     * The heartbeat: extends to the database's now plus {@code lease} the lease of every row these
     * owners hold (being sent under their name), in one statement. Returns how many rows it renewed.
     */
    int renew(Collection<String> owners, Duration lease);

    /**
     * The server accepted the message. Erases the sealed code. Recorded even if the verification was
     * canceled after the claim: the email did leave, and the row says so.
     */
    boolean markSent(QueuedEmail email, Instant now, String reply);

    /**
     * {@link #markSent} for several rows in one transaction, each guarded by its claim as there.
     * Returns, in the order given, whether each row was recorded ({@code false}: the row was claimed
     * again since).
     */
    default List<Boolean> markSentAll(List<Sent> sent) {
        return sent.stream().map(s -> markSent(s.email(), s.at(), s.reply())).toList();
    }

    /** A claimed row the server accepted: when, and with what reply. */
    record Sent(QueuedEmail email, Instant at, String reply) {}

    /**
     * {@link #markSentAll} then {@link #claim}: a worker that has sent a batch records it and takes
     * the next one. A store that can does both in one transaction, so a batch costs one commit
     * rather than two; this default does them one after the other.
     */
    default Claim recordAndClaim(List<Sent> sent, String owner, int limit, Instant now, Duration lease) {
        return new Claim(markSentAll(sent), claim(owner, limit, now, lease));
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
    boolean retryLater(QueuedEmail email, Instant now, Instant nextAttemptAt, String error);

    /** A permanent failure, or retries exhausted. Erases the sealed code. */
    boolean markFailed(QueuedEmail email, Instant now, Failure failure, String error);

    /** The code expired before it could be sent. Erases the sealed code. */
    boolean markExpired(QueuedEmail email, Instant now);

    /** Gives back every row this owner holds, at once, so a clean shutdown delays nothing. */
    int release(String owner);

    /** How many of the newest emails of these verifications are in each state. */
    Map<DeliveryStatus, Integer> newestByStatus(Collection<VerificationId> verifications);

    /** How delivery stands across every process sharing this outbox, for {@code /health/delivery}. */
    DeliveryHealth health(Instant now);

    /** Why an email finally failed. */
    enum Failure {
        /** Retries of a temporary failure (4xx, timeouts, no connection) ran out. */
        TRANSIENT,
        /** The server refused this message for good (5xx): about the recipient or the message. */
        PERMANENT,
        /** The server cannot do what the settings require (TLS, CA, AUTH): every email will fail. */
        CONFIGURATION;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
