package io.otpgate.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.otpgate.core.Validated;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.verification.CancelResult;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.Idempotency;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.server.ApiMetrics;
import io.otpgate.server.ApiProblem;
import io.otpgate.server.ClientIp;
import io.otpgate.server.Http;
import io.otpgate.server.Json;
import io.otpgate.server.ServerSettings;
import io.otpgate.server.api.Responses.CheckJson;
import io.otpgate.server.api.Responses.EventJson;
import io.otpgate.server.api.Responses.VerificationJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code /v1/verifications} endpoints: each a small method from request to engine to JSON. */
public final class VerificationRoutes {

    static final int MAX_BATCH = 10_000;
    /** Set on a response that returns what an earlier request with the same Idempotency-Key started. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Duration IP_WINDOW = Duration.ofMinutes(10);
    private static final Duration KEY_WINDOW = Duration.ofMinutes(1);

    private final Verifier verifier;
    private final Clock clock;
    private final ServerSettings settings;
    private final ApiMetrics metrics;

    public VerificationRoutes(Verifier verifier, Clock clock, ServerSettings settings, ApiMetrics metrics) {
        this.verifier = verifier;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    public void start(Context ctx) {
        Json.Body body = Json.object(ctx);
        StartRequest request = request(ctx, body, body.optionalString("purpose"), limits(ctx, body));
        StartResult result =
                verifier.start(idempotencyKey(ctx).map(request::idempotent).orElse(request));
        metrics.started(result);
        Verification v = startedOrThrow(result);
        ctx.status(201).header("Location", "/v1/verifications/" + v.id().value());
        if (result.kind() == StartResult.Kind.REPLAYED) {
            ctx.header(REPLAYED_HEADER, "true");
        }
        ctx.json(VerificationJson.of(v));
    }

    public void get(Context ctx) {
        Verification v =
                verifier.find(Http.tenant(ctx), id(ctx)).orElseThrow(() -> ApiProblem.notFound("no such verification"));
        ctx.json(VerificationJson.of(v));
    }

    public void events(Context ctx) {
        List<VerificationEvent> events = verifier.events(Http.tenant(ctx), id(ctx))
                .orElseThrow(() -> ApiProblem.notFound("no such verification"));
        ctx.json(new Responses.EventsJson(events.stream().map(EventJson::of).toList()));
    }

    public void check(Context ctx) {
        VerificationId id = id(ctx);
        String code = Json.object(ctx).requiredString("code");
        answer(ctx, verifier.check(Http.tenant(ctx), id, code));
    }

    public void checkByEmail(Context ctx) {
        Json.Body body = Json.object(ctx);
        String email = body.requiredString("email");
        String code = body.requiredString("code");
        String purpose = body.optionalString("purpose").orElse(null);
        // A purpose that cannot exist is the caller's mistake (400), not a verification not found (404).
        if (purpose != null && Purpose.parse(purpose) instanceof Validated.Invalid<Purpose> invalid) {
            throw ApiProblem.invalidRequest("purpose: " + invalid.reason());
        }
        answer(ctx, verifier.check(Http.tenant(ctx), email, purpose, code));
    }

    private void answer(Context ctx, CheckResult result) {
        metrics.checked(result);
        // A check of an existing verification is a 200 whose reason says why it is not valid.
        Optional<String> refused = switch (result.kind()) {
            case APPROVED -> Optional.empty();
            case INCORRECT -> Optional.of("incorrect_code");
            case EXPIRED -> Optional.of("expired");
            case EXHAUSTED -> Optional.of("max_attempts_reached");
            case ALREADY_APPROVED -> Optional.of("already_approved");
            case CANCELED -> Optional.of("canceled");
            case INVALID_FORMAT -> throw ApiProblem.invalidCodeFormat(((CheckResult.InvalidFormat) result).reason());
            case RECIPIENT_LOCKED ->
                throw ApiProblem.recipientLocked(secondsUntil(((CheckResult.RecipientLocked) result).until()));
            case NOT_FOUND -> throw ApiProblem.notFound("no pending verification matches");
        };
        ctx.json(CheckJson.of(((CheckResult.Decided) result).verification(), refused));
    }

    public void resend(Context ctx) {
        ResendResult result = verifier.resend(Http.tenant(ctx), id(ctx));
        Verification resent = switch (result.kind()) {
            case RESENT -> ((ResendResult.Resent) result).verification();
            case TOO_SOON -> {
                Instant retryAt = ((ResendResult.TooSoon) result).retryAt();
                throw ApiProblem.tooMany(
                        "resend_too_soon",
                        "Resend too soon",
                        "a new code can be sent at " + Json.time(retryAt),
                        secondsUntil(retryAt));
            }
            case MAX_SENDS_REACHED ->
                throw ApiProblem.tooMany(
                        "max_sends_reached",
                        "Max sends reached",
                        "no more codes can be sent for this verification; start a new one after it expires",
                        secondsUntil(((ResendResult.MaxSendsReached) result)
                                .verification()
                                .expiresAt()));
            case NOT_PENDING -> throw notPending(((ResendResult.NotPending) result).verification());
            case RATE_LIMITED -> {
                ResendResult.RateLimited limited = (ResendResult.RateLimited) result;
                throw rateLimited(limited.scope(), limited.retryAt());
            }
            case RECIPIENT_LOCKED ->
                throw ApiProblem.recipientLocked(secondsUntil(((ResendResult.RecipientLocked) result).until()));
            case NOT_FOUND -> throw ApiProblem.notFound("no such verification");
        };
        ctx.json(VerificationJson.of(resent));
    }

    public void cancel(Context ctx) {
        CancelResult result = verifier.cancel(Http.tenant(ctx), id(ctx));
        Verification canceled = switch (result.kind()) {
            case CANCELED -> ((CancelResult.Canceled) result).verification();
            case NOT_PENDING -> throw notPending(((CancelResult.NotPending) result).verification());
            case NOT_FOUND -> throw ApiProblem.notFound("no such verification");
        };
        ctx.json(VerificationJson.of(canceled));
    }

    private static ApiProblem notPending(Verification v) {
        return ApiProblem.notPending("the verification is " + v.status().wireName());
    }

    /**
     * Starts one verification per recipient. Each recipient gets its own result, in order; one bad
     * recipient never fails the others, and none is dropped silently. The engine writes them in
     * chunked transactions, so a batch costs one commit per chunk rather than one per recipient.
     */
    public void batch(Context ctx) {
        Json.Body body = Json.object(ctx);
        JsonNode recipients = body.requiredArray("recipients");
        if (recipients.size() > MAX_BATCH) {
            throw ApiProblem.batchTooLarge(recipients.size(), MAX_BATCH);
        }
        Optional<String> batchKey = idempotencyKey(ctx);
        Optional<String> purpose = body.optionalString("purpose");
        BatchLine[] lines = new BatchLine[recipients.size()];
        List<Integer> pending = new ArrayList<>();
        List<StartRequest> requests = new ArrayList<>();
        // The first entry of each mailbox: a later one would restart it and mail the person twice.
        Map<MailboxKey, Integer> firstEntry = new HashMap<>();
        for (int i = 0; i < recipients.size(); i++) {
            JsonNode entry = recipients.get(i);
            String email = entry.path("email").isTextual() ? entry.get("email").textValue() : null;
            try {
                if (!entry.isObject()) {
                    throw ApiProblem.invalidRequest("recipients[" + i + "] must be an object");
                }
                StartRequest request =
                        request(ctx, new Json.Body(entry, "recipients[" + i + "]."), purpose, keyLimit(ctx));
                if (EmailAddress.parse(request.email()) instanceof Validated.Valid<EmailAddress> address) {
                    Integer earlier = firstEntry.putIfAbsent(MailboxKey.of(address.value()), i);
                    if (earlier != null) {
                        throw ApiProblem.duplicateRecipient(earlier);
                    }
                }
                // Each entry its own key, derived from the batch's and the entry's place in it.
                int index = i;
                requests.add(batchKey.map(key -> request.idempotent(key + "#" + index))
                        .orElse(request));
                lines[i] = BatchLine.started(email, null);
                pending.add(i);
            } catch (ApiProblem problem) {
                lines[i] = BatchLine.refused(email, problem);
            }
        }
        List<StartResult> started = verifier.startAll(requests);
        if (started.stream().anyMatch(result -> result.kind() == StartResult.Kind.REPLAYED)) {
            ctx.header(REPLAYED_HEADER, "true");
        }
        for (int k = 0; k < started.size(); k++) {
            metrics.started(started.get(k));
            int i = pending.get(k);
            try {
                lines[i] = BatchLine.started(
                        lines[i].email(), startedOrThrow(started.get(k)).id().value());
            } catch (ApiProblem problem) {
                lines[i] = BatchLine.refused(lines[i].email(), problem);
            }
        }
        long accepted = Arrays.stream(lines).filter(line -> line.id() != null).count();
        ctx.json(new BatchJson(accepted, lines.length - accepted, List.of(lines)));
    }

    /** A batch's answer: one line per recipient, in order. */
    record BatchJson(long accepted, long rejected, List<BatchLine> results) {}

    /** One recipient of a batch: the id it was given, or the problem that refused it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchLine(
            @JsonInclude(JsonInclude.Include.ALWAYS) String email, String id, String error, String detail) {

        static BatchLine started(String email, String id) {
            return new BatchLine(email, id, null, null);
        }

        static BatchLine refused(String email, ApiProblem problem) {
            return new BatchLine(email, null, problem.code, problem.detail());
        }
    }

    /**
     * The request's {@code Idempotency-Key}, if any: as a token (Stripe's form) or a quoted string
     * (the IETF draft's structured field), 1 to 255 visible ASCII characters.
     */
    private static Optional<String> idempotencyKey(Context ctx) {
        String header = ctx.header("Idempotency-Key");
        if (header == null) {
            return Optional.empty();
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1)
                : header;
        if (Idempotency.parseKey(key) instanceof Validated.Invalid<String> invalid) {
            throw ApiProblem.invalidRequest("Idempotency-Key " + invalid.reason());
        }
        return Optional.of(key);
    }

    /** A start in the caller's tenant, recording the key that made it. */
    private StartRequest request(Context ctx, Json.Body body, Optional<String> purpose, List<RateLimit> limits) {
        return new StartRequest(
                        body.requiredString("email"),
                        body.optionalString("name"),
                        purpose,
                        body.optionalString("locale"),
                        limits)
                .withTenant(Http.tenant(ctx))
                .startedBy(Http.apiKeyId(ctx));
    }

    private List<RateLimit> limits(Context ctx, Json.Body body) {
        List<RateLimit> limits = new ArrayList<>(keyLimit(ctx));
        Optional<String> clientIp = body.optionalString("client_ip");
        if (clientIp.isPresent()) {
            String ip = ClientIp.parse(clientIp.get())
                    .orElseThrow(() -> ApiProblem.invalidRequest("client_ip must be an IPv4 or IPv6 address"));
            limits.add(new RateLimit(RateLimit.IP, ip, settings.ipStartLimit(), IP_WINDOW));
        }
        return limits;
    }

    private List<RateLimit> keyLimit(Context ctx) {
        return settings.keyStartLimit()
                .map(max -> List.of(new RateLimit(RateLimit.API_KEY, Http.apiKeyId(ctx), max, KEY_WINDOW)))
                .orElse(List.of());
    }

    /** The verification a start made or, for a retry under its idempotency key, made earlier. */
    private Verification startedOrThrow(StartResult result) {
        return switch (result.kind()) {
            case STARTED -> ((StartResult.Started) result).verification();
            case REPLAYED -> ((StartResult.Replayed) result).verification();
            case INVALID_EMAIL -> throw ApiProblem.invalidEmail(((StartResult.InvalidEmail) result).reason());
            case INVALID_FIELD -> {
                StartResult.InvalidField invalid = (StartResult.InvalidField) result;
                throw ApiProblem.invalidRequest(invalid.field() + ": " + invalid.reason());
            }
            case RATE_LIMITED -> {
                StartResult.RateLimited limited = (StartResult.RateLimited) result;
                throw rateLimited(limited.scope(), limited.retryAt());
            }
            case RECIPIENT_LOCKED ->
                throw ApiProblem.recipientLocked(secondsUntil(((StartResult.RecipientLocked) result).until()));
            case IDEMPOTENCY_KEY_REUSED -> throw ApiProblem.idempotencyKeyReused();
        };
    }

    private ApiProblem rateLimited(String scope, Instant retryAt) {
        String what = switch (scope) {
            case RateLimit.RECIPIENT, RateLimit.RECIPIENT_CEILING -> "too many emails to this address";
            case RateLimit.IP -> "too many verifications for this client IP";
            case RateLimit.API_KEY -> "too many verifications for this API key";
            default -> "rate limit reached";
        };
        return ApiProblem.tooMany("rate_limited", "Rate limited", what, secondsUntil(retryAt));
    }

    private long secondsUntil(Instant then) {
        long millis = Duration.between(clock.instant(), then).toMillis();
        return (millis + 999) / 1000;
    }

    private static VerificationId id(Context ctx) {
        Validated<VerificationId> id = VerificationId.parse(ctx.pathParam("id"));
        if (id instanceof Validated.Invalid<VerificationId>) {
            throw ApiProblem.notFound("no such verification");
        }
        return id.orElseThrow();
    }
}
