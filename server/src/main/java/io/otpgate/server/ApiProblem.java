package io.otpgate.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.HttpResponseException;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem the API answers with: an HTTP status, a stable machine-readable
 * {@code code}, a sentence for the developer, and for 429s how long to wait. Every error becomes
 * one, whoever raised it (a route, Javalin, Jetty), so every error has the same shape.
 */
public final class ApiProblem extends RuntimeException {

    final int status;
    public final String code;
    final String title;
    final Optional<Long> retryAfterSeconds;

    ApiProblem(int status, String code, String title, String detail, Optional<Long> retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code);
        this.title = Objects.requireNonNull(title);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A problem without a {@code Retry-After}: everything but 429 and 503. */
    static ApiProblem of(int status, String code, String title, String detail) {
        return new ApiProblem(status, code, title, detail, Optional.empty());
    }

    public static ApiProblem invalidRequest(String detail) {
        return of(400, "invalid_request", "Invalid request", detail);
    }

    public static ApiProblem invalidEmail(String detail) {
        return of(400, "invalid_email", "Invalid email address", detail);
    }

    public static ApiProblem invalidCodeFormat(String detail) {
        return of(400, "invalid_code_format", "Invalid code format", detail);
    }

    static ApiProblem unauthorized() {
        return of(401, "unauthorized", "Unauthorized", "send a valid API key as Authorization: Bearer <key>");
    }

    /** A valid key whose scope does not cover the request: a read-only key on anything but the figures. */
    static ApiProblem forbidden() {
        return of(403, "forbidden", "Forbidden", "a read-only key may only GET /v1/stats; use a key of full scope");
    }

    public static ApiProblem notFound(String detail) {
        return of(404, "not_found", "Not found", detail);
    }

    public static ApiProblem notPending(String detail) {
        return of(409, "not_pending", "Verification is not pending", detail);
    }

    public static ApiProblem tooMany(String code, String title, String detail, long retryAfterSeconds) {
        return new ApiProblem(429, code, title, detail, Optional.of(Math.max(1, retryAfterSeconds)));
    }

    /**
     * The database could not take the change now (busy, full, unreachable). A single start, check or
     * resend changed nothing; a batch may have stored its earlier chunks, which a retry with the same
     * {@code Idempotency-Key} completes without sending anything twice.
     */
    static ApiProblem unavailable() {
        return new ApiProblem(
                503,
                "unavailable",
                "Service unavailable",
                "the database could not take this request just now; retry shortly (a batch with the same"
                        + " Idempotency-Key, to complete it without sending anything twice)",
                Optional.of(1L));
    }

    public static ApiProblem recipientLocked(long retryAfterSeconds) {
        return tooMany(
                "recipient_locked", "Recipient locked", "too many wrong codes for this address", retryAfterSeconds);
    }

    public static ApiProblem idempotencyKeyReused() {
        return of(
                422,
                "idempotency_key_reused",
                "Idempotency key reused",
                "this Idempotency-Key was used in the last 24 hours for a request with other content");
    }

    /** A batch entry whose mailbox an earlier entry of the same batch already has. */
    public static ApiProblem duplicateRecipient(int earlier) {
        return of(400, "duplicate_recipient", "Duplicate recipient", "the same mailbox as recipients[" + earlier + "]");
    }

    /** An error Javalin raised itself: no route, a method the route does not take, a body too large. */
    static ApiProblem from(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> payloadTooLarge();
            case 404 -> notFound("no such resource");
            case 405 -> of(405, "invalid_request", "Method not allowed", "this resource does not accept that method");
            default -> e.getStatus() >= 500 ? internal() : unreadable(e.getStatus(), "the request was refused");
        };
    }

    /** A request refused before any route could read it, with the status Javalin or Jetty chose. */
    static ApiProblem unreadable(int status, String detail) {
        return of(status, "invalid_request", "Invalid request", detail);
    }

    static ApiProblem internal() {
        return of(
                500,
                "internal",
                "Internal error",
                "something went wrong on our side; quote the request_id when you report it");
    }

    static ApiProblem unsupportedMediaType(String detail) {
        return of(415, "invalid_request", "Unsupported media type", detail);
    }

    static ApiProblem payloadTooLarge() {
        return of(413, "payload_too_large", "Payload too large", "request bodies are limited to 1 MiB");
    }

    public static ApiProblem batchTooLarge(int size, int max) {
        return of(
                400,
                "batch_too_large",
                "Batch too large",
                "a batch holds at most " + max + " recipients; this one has " + size);
    }

    public String detail() {
        return getMessage();
    }

    /** The body: {@code instance} is the path asked for ({@code ""} when it could not be read). */
    Body body(String instance, String requestId) {
        return new Body(
                "urn:otpgate:problem:" + code,
                title,
                status,
                detail(),
                code,
                instance,
                requestId,
                retryAfterSeconds.orElse(null));
    }

    /** The problem as JSON; {@code retry_after} only on the problems that have one (429, 503). */
    record Body(
            String type,
            String title,
            int status,
            String detail,
            String code,
            String instance,
            String requestId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfter) {}
}
