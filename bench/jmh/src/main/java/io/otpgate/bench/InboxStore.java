package io.otpgate.bench;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.verification.AttemptOutcome;
import io.otpgate.core.verification.CodeMatcher;
import io.otpgate.core.verification.FailureLock;
import io.otpgate.core.verification.Purpose;
import io.otpgate.core.verification.Reissue;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.VerificationId;
import io.otpgate.core.verification.VerificationStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The real JDBC store, which also hands the thread that started a verification the code its email
 * carries, opened the way the dispatcher opens it. The benchmark can then type the right code
 * without a query of its own: what it times is what the engine does, and nothing else.
 */
final class InboxStore implements VerificationStore {

  private final VerificationStore store;
  private final CodeSealer sealer;
  private final ThreadLocal<QueuedEmail> lastQueued = new ThreadLocal<>();

  InboxStore(VerificationStore store, CodeSealer sealer) {
    this.store = store;
    this.sealer = sealer;
  }

  /** The code in the email this thread's last start queued. */
  String lastCode() {
    QueuedEmail email = lastQueued.get();
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
    lastQueued.set(starts.get(starts.size() - 1).verification().email());
    return results;
  }

  @Override
  public Optional<Verification> find(VerificationId id) {
    return store.find(id);
  }

  @Override
  public Optional<VerificationId> newestPending(EmailAddress email, Purpose purpose, Instant now) {
    return store.newestPending(email, purpose, now);
  }

  @Override
  public AttemptOutcome attempt(VerificationId id, Instant now, CodeMatcher matcher, FailureLock lock) {
    return store.attempt(id, now, matcher, lock);
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
  public Optional<Instant> lockedUntil(EmailAddress email, Instant now) {
    return store.lockedUntil(email, now);
  }

  @Override
  public boolean unlock(EmailAddress email) {
    return store.unlock(email);
  }
}
