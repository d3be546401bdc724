package io.otpgate.server;

import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem the API answers with: an HTTP status, a stable machine-readable
 * {@code code}, a sentence for the developer, and for 429s how long to wait.
 */
final class ApiProblem extends RuntimeException {

    final int status;
    final String code;
    final String title;
    final Optional<Long> retryAfterSeconds;

    ApiProblem(int status, String code, String title, String detail, Optional<Long> retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code);
        this.title = Objects.requireNonNull(title);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiProblem invalidRequest(String detail) {
        return new ApiProblem(400, "invalid_request", "Invalid request", detail, Optional.empty());
    }

    static ApiProblem invalidEmail(String detail) {
        return new ApiProblem(400, "invalid_email", "Invalid email address", detail, Optional.empty());
    }

    static ApiProblem invalidCodeFormat(String detail) {
        return new ApiProblem(400, "invalid_code_format", "Invalid code format", detail, Optional.empty());
    }

    static ApiProblem unauthorized() {
        return new ApiProblem(
                401,
                "unauthorized",
                "Unauthorized",
                "send a valid API key as Authorization: Bearer <key>",
                Optional.empty());
    }

    /** A valid key whose scope does not cover the request: a read-only key on anything but the figures. */
    static ApiProblem forbidden() {
        return new ApiProblem(
                403,
                "forbidden",
                "Forbidden",
                "a read-only key may only GET /v1/stats; use a key of full scope",
                Optional.empty());
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not_found", "Not found", detail, Optional.empty());
    }

    static ApiProblem notPending(String detail) {
        return new ApiProblem(409, "not_pending", "Verification is not pending", detail, Optional.empty());
    }

    static ApiProblem tooMany(String code, String title, String detail, long retryAfterSeconds) {
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

    static ApiProblem recipientLocked(long retryAfterSeconds) {
        return tooMany(
                "recipient_locked", "Recipient locked", "too many wrong codes for this address", retryAfterSeconds);
    }

    static ApiProblem idempotencyKeyReused() {
        return new ApiProblem(
                422,
                "idempotency_key_reused",
                "Idempotency key reused",
                "this Idempotency-Key was used in the last 24 hours for a request with other content",
                Optional.empty());
    }

    /** A batch entry whose mailbox an earlier entry of the same batch already has. */
    static ApiProblem duplicateRecipient(int earlier) {
        return new ApiProblem(
                400,
                "duplicate_recipient",
                "Duplicate recipient",
                "the same mailbox as recipients[" + earlier + "]",
                Optional.empty());
    }

    static ApiProblem payloadTooLarge() {
        return new ApiProblem(
                413, "payload_too_large", "Payload too large", "request bodies are limited to 1 MiB", Optional.empty());
    }

    static ApiProblem batchTooLarge(int size, int max) {
        return new ApiProblem(
                400,
                "batch_too_large",
                "Batch too large",
                "a batch holds at most " + max + " recipients; this one has " + size,
                Optional.empty());
    }

    String detail() {
        return getMessage();
    }
}
