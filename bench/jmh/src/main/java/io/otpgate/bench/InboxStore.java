package io.otpgate.bench;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.verification.AttemptOutcome;
import io.otpgate.core.verification.CodeMatcher;
import io.otpgate.core.verification.FailureLock;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.verification.Reissue;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.verification.VerificationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real JDBC store, which also hands the benchmark the code each started verification's email
 * carries, opened the way the dispatcher opens it. The benchmark can then type the right code
 * without a query of its own: what it times is what the engine does, and nothing else.
 */
final class InboxStore implements VerificationStore {

  private final VerificationStore store;
  private final CodeSealer sealer;
  /** Each queued email by its verification: concurrent starts may share one startAll call. */
  private final Map<VerificationId, QueuedEmail> queued = new ConcurrentHashMap<>();

  InboxStore(VerificationStore store, CodeSealer sealer) {
    this.store = store;
    this.sealer = sealer;
  }

  /** The code in the email queued for a verification (once: it is forgotten as it is read). */
  String codeOf(VerificationId id) {
    QueuedEmail email = queued.remove(id);
    OneTimeCode code = sealer.open(email.id(), email.sealedCode());
    try {
      return code.reveal();
    } finally {
      code.wipe();
    }
  }

  @Override
  public List<StartOutcome> startAll(List<LimitedStart> starts, Instant now) {
    List<StartOutcome> results = store.startAll(starts, now);
    for (int i = 0; i < starts.size(); i++) {
      if (results.get(i) instanceof StartOutcome.Stored) {
        QueuedEmail email = starts.get(i).verification().email();
        queued.put(email.verificationId(), email);
      }
    }
    return results;
  }

  @Override
  public Optional<Verification> find(VerificationId id) {
    return store.find(id);
  }

  @Override
  public Optional<VerificationId> pending(Tenant tenant, MailboxKey mailbox, Purpose purpose, Instant now) {
    return store.pending(tenant, mailbox, purpose, now);
  }

  @Override
  public AttemptOutcome attempt(
      VerificationId id, Tenant owner, Instant now, CodeMatcher matcher, FailureLock lock) {
    return store.attempt(id, owner, now, matcher, lock);
  }

  @Override
  public ReissueOutcome reissue(Reissue reissue, List<RateLimit> limits, Instant now) {
    return store.reissue(reissue, limits, now);
  }

  @Override
  public boolean cancel(VerificationId id, Instant now) {
    return store.cancel(id, now);
  }

  @Override
  public Optional<Instant> lockedUntil(Tenant tenant, MailboxKey mailbox, Instant now) {
    return store.lockedUntil(tenant, mailbox, now);
  }

  @Override
  public boolean unlock(Tenant tenant, MailboxKey mailbox) {
    return store.unlock(tenant, mailbox);
  }

  @Override
  public List<io.otpgate.core.event.VerificationEvent> events(VerificationId id) {
    return store.events(id);
  }

  @Override
  public int expireDue(Instant now, int limit) {
    return store.expireDue(now, limit);
  }
}
