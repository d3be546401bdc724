package io.otpgate.core.verification;

import io.otpgate.core.Validated;
import io.otpgate.core.code.CodeFormat;
import io.otpgate.core.code.CodeGenerator;
import io.otpgate.core.code.CodeHasher;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.RandomIds;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.VerificationStore.ReissueOutcome;
import io.otpgate.core.verification.VerificationStore.StartOutcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification engine: starts verifications, checks codes, resends and cancels.
 *
 * <p>Every verification belongs to a {@link Tenant}. The methods that act on one take the caller's
 * tenant and treat another tenant's verification exactly as an unknown id, so an API key can
 * neither read, check, resend nor cancel what another tenant started, nor learn that it exists.
 *
 * <p>Thread-safe and stateless apart from its collaborators; every decision that must hold across
 * threads and processes is made by the store in one conditional statement. Build one with
 * {@link #builder()}.
 */
public final class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);
    private static final String OUTBOX_PREFIX = "msg_";
    /** Verifications written per transaction by {@link #startAll}. */
    private static final int CHUNK = 200;

    private static final Duration HOUR = Duration.ofHours(1);

    private final Policy policy;
    private final VerificationStore store;
    private final Clock clock;
    private final Locale defaultLocale;
    private final Runnable onEmailQueued;
    private final CodeGenerator generator;
    private final CodeFormat format;
    private final CodeHasher hasher;
    private final CodeSealer sealer;
    private final RandomIds ids;

    private Verifier(Builder b) {
        this.policy = b.policy;
        this.store = Objects.requireNonNull(b.store, "store");
        this.clock = b.clock;
        this.defaultLocale = b.defaultLocale;
        this.onEmailQueued = b.onEmailQueued;
        ServerSecret secret = Objects.requireNonNull(b.secret, "secret");
        this.generator = new CodeGenerator(b.random, policy.alphabet(), policy.codeLength());
        this.format = new CodeFormat(policy.alphabet(), policy.codeLength());
        this.hasher = new CodeHasher(secret);
        this.sealer = new CodeSealer(secret, b.random);
        this.ids = new RandomIds(b.random);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Policy policy() {
        return policy;
    }

    /** Validates the request, then stores the verification and queues its email in one transaction. */
    public StartResult start(StartRequest request) {
        return startAll(List.of(request)).get(0);
    }

    /**
     * {@link #start} for many requests, in order. Each request is judged on its own (a bad address
     * or a reached limit refuses that one only), and the accepted ones are written
     * {@value #CHUNK} to a transaction: each chunk is committed before the next is written.
     */
    public List<StartResult> startAll(List<StartRequest> requests) {
        List<StartResult> results = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += CHUNK) {
            results.addAll(startChunk(requests.subList(from, Math.min(requests.size(), from + CHUNK))));
        }
        return results;
    }

    private List<StartResult> startChunk(List<StartRequest> requests) {
        Instant now = now();
        StartResult[] results = new StartResult[requests.size()];
        List<Integer> positions = new ArrayList<>();
        List<VerificationStore.LimitedStart> starts = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            StartResult validated = validate(requests.get(i), now);
            results[i] = validated;
            if (validated instanceof StartResult.Started candidate) {
                Verification v = candidate.verification();
                positions.add(i);
                StartRequest request = requests.get(i);
                starts.add(new VerificationStore.LimitedStart(
                        withCode(v, now, request.keyId()),
                        limits(v, request.extraLimits()),
                        request.idempotencyKey().map(key -> Idempotency.of(key, v))));
            }
        }
        if (starts.isEmpty()) {
            return List.of(results);
        }
        // One transaction for the chunk: the store reads each address's failure lock, counts the
        // limits and writes the rows together, so a start costs no round trip of its own. (Sharing
        // one transaction among concurrent single starts was measured on H2 and did not pay; SQLite's group
        // commit now does it below the store, for every write.)
        List<StartOutcome> outcomes = store.startAll(starts, now);
        boolean queued = false;
        for (int k = 0; k < positions.size(); k++) {
            int i = positions.get(k);
            Verification v = ((StartResult.Started) results[i]).verification();
            StartOutcome outcome = outcomes.get(k);
            if (outcome instanceof StartOutcome.Replayed replayed) {
                // Read after the commit; a verification is kept far longer than its key (7 days, 24 h).
                results[i] = store.find(replayed.id())
                        .<StartResult>map(StartResult.Replayed::new)
                        .orElseGet(StartResult.IdempotencyKeyReused::new);
            } else if (outcome instanceof StartOutcome.KeyReused) {
                results[i] = new StartResult.IdempotencyKeyReused();
            } else if (outcome instanceof StartOutcome.RecipientLocked locked) {
                results[i] = new StartResult.RecipientLocked(locked.until());
            } else if (outcome instanceof StartOutcome.RateLimited limited) {
                Limited l = limited.limited();
                log.info(
                        "verification refused domain={} limit={}",
                        v.email().domain(),
                        l.limit().scope());
                results[i] = new StartResult.RateLimited(l.limit().scope(), l.retryAt());
            } else {
                queued = true;
                log.info(
                        "verification started id={} tenant={} domain={} purpose={}",
                        v.id(),
                        v.tenant(),
                        v.email().domain(),
                        v.purpose());
            }
        }
        if (queued) {
            onEmailQueued.run();
        }
        return List.of(results);
    }

    /** The verification a request describes (as {@code Started}, not yet stored), or the refusal. */
    private StartResult validate(StartRequest request, Instant now) {
        if (request.idempotencyKey().map(Idempotency::parseKey).orElse(Validated.valid(""))
                instanceof Validated.Invalid<String> invalid) {
            return new StartResult.InvalidField("idempotency_key", invalid.reason());
        }
        Validated<EmailAddress> email = EmailAddress.parse(request.email());
        if (email instanceof Validated.Invalid<EmailAddress> invalid) {
            return new StartResult.InvalidEmail(invalid.reason());
        }
        Optional<DisplayName> name = Optional.empty();
        if (request.name().filter(n -> !n.isBlank()).isPresent()) {
            Validated<DisplayName> parsed = DisplayName.parse(request.name().get());
            if (parsed instanceof Validated.Invalid<DisplayName> invalid) {
                return new StartResult.InvalidField("name", invalid.reason());
            }
            name = Optional.of(parsed.orElseThrow());
        }
        Validated<Purpose> purpose =
                request.purpose().map(Purpose::parse).orElse(Validated.valid(Purpose.VERIFY_EMAIL));
        if (purpose instanceof Validated.Invalid<Purpose> invalid) {
            return new StartResult.InvalidField("purpose", invalid.reason());
        }
        Validated<Locale> locale = request.locale().map(LanguageTags::parse).orElse(Validated.valid(defaultLocale));
        if (locale instanceof Validated.Invalid<Locale> invalid) {
            return new StartResult.InvalidField("locale", invalid.reason());
        }
        return new StartResult.Started(new Verification(
                VerificationId.random(ids),
                email.orElseThrow(),
                name,
                purpose.orElseThrow(),
                locale.orElseThrow(),
                Status.PENDING,
                now,
                now.plus(policy.codeTtl()),
                0,
                policy.maxAttempts(),
                1,
                policy.maxSends(),
                now.plus(policy.resendCooldown()),
                new Delivery(DeliveryStatus.QUEUED, 0, Optional.empty(), Optional.empty()),
                request.tenant(),
                request.reader()));
    }

    /** The row to store: a fresh code, kept only as its HMAC and, sealed, in the first email. */
    private NewVerification withCode(Verification v, Instant now, Optional<String> keyId) {
        OneTimeCode code = generator.next();
        try {
            return new NewVerification(
                    v,
                    hasher.hash(v.id().value(), v.purpose().value(), code),
                    queue(v, code, now, v.expiresAt()),
                    keyId);
        } finally {
            code.wipe();
        }
    }

    /** Checks a code against one of the tenant's verifications. */
    public CheckResult check(Tenant tenant, VerificationId id, String input) {
        Objects.requireNonNull(tenant, "tenant");
        Validated<OneTimeCode> candidate = format.parse(input);
        if (candidate instanceof Validated.Invalid<OneTimeCode> invalid) {
            return new CheckResult.InvalidFormat(invalid.reason());
        }
        Instant now = now();
        OneTimeCode code = candidate.orElseThrow();
        try {
            // One transaction: the store reads the verification, its address's failure lock and the
            // hash (bound to the purpose it reads with them) together, and counts the attempt.
            AttemptOutcome outcome = store.attempt(
                    id,
                    tenant,
                    now,
                    (purpose, stored) -> hasher.matches(id.value(), purpose.value(), code, stored),
                    new FailureLock(policy.recipientFailureLimit(), policy.recipientLock()));
            if (outcome instanceof AttemptOutcome.Missing) {
                return new CheckResult.NotFound();
            }
            if (outcome instanceof AttemptOutcome.RecipientLocked locked) {
                return new CheckResult.RecipientLocked(locked.until());
            }
            CheckResult result = decide(outcome, now);
            log.info(
                    "verification checked id={} outcome={}",
                    id,
                    result.getClass().getSimpleName());
            return result;
        } finally {
            code.wipe();
        }
    }

    /**
     * Checks a code against the tenant's pending verification of a mailbox and purpose: the address
     * is matched by its {@link MailboxKey}, so any letter case or Unicode form of it finds the one
     * verification the last start left pending.
     */
    public CheckResult check(Tenant tenant, String email, String purpose, String input) {
        Objects.requireNonNull(tenant, "tenant");
        Validated<EmailAddress> address = EmailAddress.parse(email);
        Validated<Purpose> parsedPurpose =
                purpose == null ? Validated.valid(Purpose.VERIFY_EMAIL) : Purpose.parse(purpose);
        if (!address.isValid() || !parsedPurpose.isValid()) {
            return new CheckResult.NotFound();
        }
        return store.pending(tenant, MailboxKey.of(address.orElseThrow()), parsedPurpose.orElseThrow(), now())
                .map(id -> check(tenant, id, input))
                .orElseGet(CheckResult.NotFound::new);
    }

    private static CheckResult decide(AttemptOutcome outcome, Instant now) {
        // Java 17 has no pattern matching in switch; the sealed hierarchy keeps this list complete.
        if (outcome instanceof AttemptOutcome.Counted counted) {
            Verification v = counted.verification();
            if (counted.matched()) {
                return new CheckResult.Approved(v);
            }
            return v.status() == Status.FAILED ? new CheckResult.Exhausted(v) : new CheckResult.Incorrect(v);
        }
        if (outcome instanceof AttemptOutcome.NotCounted notCounted) {
            Verification v = notCounted.verification().at(now);
            return switch (v.status()) {
                case APPROVED -> new CheckResult.AlreadyApproved(v);
                case CANCELED -> new CheckResult.Canceled(v);
                case EXPIRED -> new CheckResult.Expired(v);
                case FAILED, PENDING -> new CheckResult.Exhausted(v);
            };
        }
        return new CheckResult.NotFound();
    }

    /** Issues a new code for one of the tenant's pending verifications; the old code stops working. */
    public ResendResult resend(Tenant tenant, VerificationId id) {
        Optional<Verification> found = owned(tenant, id);
        if (found.isEmpty()) {
            return new ResendResult.NotFound();
        }
        Instant now = now();
        Verification v = found.get().at(now);
        if (v.status() != Status.PENDING) {
            return new ResendResult.NotPending(v);
        }
        if (v.sendsRemaining() == 0) {
            return new ResendResult.MaxSendsReached(v);
        }
        if (now.isBefore(v.resendAvailableAt())) {
            return new ResendResult.TooSoon(v, v.resendAvailableAt());
        }
        Optional<Instant> locked = store.lockedUntil(v.tenant(), v.mailbox(), now);
        if (locked.isPresent()) {
            return new ResendResult.RecipientLocked(locked.get());
        }
        OneTimeCode code = generator.next();
        try {
            // A new code gets a full lifetime: a person who asks again after nine minutes should not get
            // a code that dies in one. Attempts are not reset (NIST SP 800-63B rev 4 §3.1.3.2).
            Instant expiresAt = now.plus(policy.codeTtl());
            Reissue reissue = new Reissue(
                    id,
                    v.sends(),
                    hasher.hash(id.value(), v.purpose().value(), code),
                    expiresAt,
                    now.plus(policy.resendCooldown()),
                    queue(v, code, now, expiresAt));
            ReissueOutcome outcome = store.reissue(reissue, limits(v, List.of()), now);
            if (outcome instanceof ReissueOutcome.Reissued reissued) {
                log.info(
                        "verification resent id={} sends={}",
                        id,
                        reissued.verification().sends());
                onEmailQueued.run();
                return new ResendResult.Resent(reissued.verification());
            }
            if (outcome instanceof ReissueOutcome.RateLimited limited) {
                return new ResendResult.RateLimited(
                        limited.limited().limit().scope(), limited.limited().retryAt());
            }
            // Stale: something changed under us (a racing resend or check); report the state as it is.
            return staleResend(id, now);
        } finally {
            code.wipe();
        }
    }

    private ResendResult staleResend(VerificationId id, Instant now) {
        Optional<Verification> current = store.find(id).map(v -> v.at(now));
        if (current.isEmpty()) {
            return new ResendResult.NotFound();
        }
        Verification v = current.get();
        if (v.status() != Status.PENDING) {
            return new ResendResult.NotPending(v);
        }
        return v.sendsRemaining() == 0
                ? new ResendResult.MaxSendsReached(v)
                : new ResendResult.TooSoon(v, v.resendAvailableAt());
    }

    /**
     * Cancels one of the tenant's pending verifications; its code stops working and unsent emails are
     * dropped.
     */
    public CancelResult cancel(Tenant tenant, VerificationId id) {
        // A verification never changes tenant, so reading the owner first leaves no gap to exploit.
        if (owned(tenant, id).isEmpty()) {
            return new CancelResult.NotFound();
        }
        Instant now = now();
        if (store.cancel(id, now)) {
            log.info("verification canceled id={}", id);
            return new CancelResult.Canceled(store.find(id).orElseThrow());
        }
        return store.find(id)
                .<CancelResult>map(v -> new CancelResult.NotPending(v.at(now)))
                .orElseGet(CancelResult.NotFound::new);
    }

    /**
     * The verification as it stands now (pending past expiry reads as expired), if {@code tenant} may
     * read it: its own, or one of the hosted pages' started for that tenant's redirect URI.
     */
    public Optional<Verification> find(Tenant tenant, VerificationId id) {
        Objects.requireNonNull(tenant, "tenant");
        return find(id).filter(v -> v.readableBy(tenant));
    }

    /**
     * The verification whatever its tenant: for the operator's commands and for the pages that hold
     * the id as their capability (the email's link), which then act as {@link Verification#tenant()}.
     */
    public Optional<Verification> find(VerificationId id) {
        Instant now = now();
        return store.find(id).map(v -> v.at(now));
    }

    /**
     * The verification's history, oldest first, if {@code tenant} may read the verification (the
     * same rule as {@link #find(Tenant, VerificationId)}).
     */
    public Optional<List<VerificationEvent>> events(Tenant tenant, VerificationId id) {
        return find(tenant, id).map(v -> store.events(id));
    }

    /** The verification's history whatever its tenant: for the operator's {@code status}. */
    public List<VerificationEvent> events(VerificationId id) {
        return store.events(id);
    }

    private Optional<Verification> owned(Tenant tenant, VerificationId id) {
        Objects.requireNonNull(tenant, "tenant");
        return store.find(id).filter(v -> v.tenant().equals(tenant));
    }

    /** Lifts the tenant's failure lock on a mailbox (an operator's decision after a lockout). */
    public boolean unlock(Tenant tenant, EmailAddress email) {
        boolean cleared = store.unlock(tenant, MailboxKey.of(email));
        log.info("recipient unlocked tenant={} domain={} cleared={}", tenant, email.domain(), cleared);
        return cleared;
    }

    /** Microseconds, the precision both databases keep, so what we return equals what we stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private QueuedEmail queue(Verification v, OneTimeCode code, Instant now, Instant expiresAt) {
        String rowId = ids.next(OUTBOX_PREFIX);
        return new QueuedEmail(
                rowId,
                v.id(),
                v.email(),
                v.name(),
                v.locale(),
                v.purpose(),
                sealer.seal(rowId, code),
                now,
                expiresAt,
                0);
    }

    /**
     * The caller's limits, then the mailbox's hourly budget in its tenant (the pages' own, smaller,
     * for anonymous visitors) and the all-tenant ceiling. The store charges all of them or none.
     */
    private List<RateLimit> limits(Verification v, List<RateLimit> extra) {
        MailboxKey mailbox = v.mailbox();
        int budget =
                v.tenant().equals(Tenant.PAGES) ? policy.pagesRecipientHourlyLimit() : policy.recipientHourlyLimit();
        List<RateLimit> limits = new ArrayList<>(extra);
        limits.add(new RateLimit(RateLimit.RECIPIENT, v.tenant() + ":" + mailbox, budget, HOUR));
        limits.add(new RateLimit(
                RateLimit.RECIPIENT_CEILING, mailbox.withoutTag().value(), policy.recipientHourlyCeiling(), HOUR));
        return limits;
    }

    /** Builds a {@link Verifier}; only the store and the secret are required. */
    public static final class Builder {
        private Policy policy = Policy.defaults();
        private VerificationStore store;
        private ServerSecret secret;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private Locale defaultLocale = Locale.ENGLISH;
        private Runnable onEmailQueued = () -> {};

        private Builder() {}

        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder store(VerificationStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder secret(ServerSecret secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder defaultLocale(Locale locale) {
            this.defaultLocale = Objects.requireNonNull(locale, "locale");
            return this;
        }

        /** Called after an email is committed to the outbox, to wake a dispatcher at once. */
        public Builder onEmailQueued(Runnable listener) {
            this.onEmailQueued = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Verifier build() {
            return new Verifier(this);
        }
    }
}
