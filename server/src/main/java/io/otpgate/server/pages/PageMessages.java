package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.otpgate.core.code.Alphabet;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.Status;
import io.otpgate.server.pages.PageHtml.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the pages tell a person about an outcome, in the page's language: a wrong, expired or
 * locked code, a limit (with {@code Retry-After}, as the API sends it).
 */
final class PageMessages {

    private final PageHtml html;
    private final Clock clock;
    private final Policy policy;

    PageMessages(PageHtml html, Clock clock, Policy policy) {
        this.html = html;
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * What a page answers a refused check or resend with: the status and the words, and whether the
     * code field is to blame (a wrong or malformed code) rather than the verification.
     */
    record Outcome(int status, String text, boolean codeInvalid) {
        Outcome(int status, String text) {
            this(status, text, false);
        }
    }

    /**
     * A check that neither approved nor was about the code typed: the verification's state, a lock,
     * or no verification at all.
     */
    Outcome outcome(Context ctx, Page page, CheckResult result) {
        return switch (result.kind()) {
            case RECIPIENT_LOCKED ->
                new Outcome(429, locked(ctx, page, ((CheckResult.RecipientLocked) result).until()));
            case EXPIRED -> new Outcome(410, html.t(page, "check.expired"));
            case EXHAUSTED -> new Outcome(403, html.t(page, "check.exhausted"));
            case CANCELED -> new Outcome(409, html.t(page, "check.canceled"));
            case ALREADY_APPROVED -> new Outcome(409, html.t(page, "check.approved"));
            case NOT_FOUND -> new Outcome(404, html.t(page, "notfound.text"));
            case APPROVED, INCORRECT, INVALID_FORMAT ->
                throw new IllegalArgumentException("each page answers " + result.kind() + " in its own words");
        };
    }

    /** Why a verification in {@code status} takes no more codes (empty while it is pending). */
    String status(Page page, Status status) {
        return switch (status) {
            case EXPIRED -> html.t(page, "check.expired");
            case FAILED -> html.t(page, "check.exhausted");
            case CANCELED -> html.t(page, "check.canceled");
            case APPROVED -> html.t(page, "check.approved");
            case PENDING -> "";
        };
    }

    /** What a code looks like, for one that does not. */
    String format(Page page) {
        String key = digits() ? "check.format.digits" : "check.format.characters";
        return html.t(page, key, "length", policy.codeLength());
    }

    String limited(Context ctx, Page page, String scope, Instant retryAt) {
        boolean recipient = RateLimit.RECIPIENT.equals(scope) || RateLimit.RECIPIENT_CEILING.equals(scope);
        String key = recipient ? "error.recipient_limited" : "error.rate_limited";
        return html.t(page, key, "minutes", retryAfterMinutes(ctx, retryAt));
    }

    String locked(Context ctx, Page page, Instant until) {
        return html.t(page, "error.locked", "minutes", retryAfterMinutes(ctx, until));
    }

    boolean digits() {
        return policy.alphabet() == Alphabet.DIGITS;
    }

    /** Whole seconds from now until {@code then}, rounded up; never negative. */
    long secondsUntil(Instant then) {
        long millis = Duration.between(clock.instant(), then).toMillis();
        return Math.max(0, (millis + 999) / 1000);
    }

    /** Sets {@code Retry-After} and returns the wait in whole minutes (at least one), for the words. */
    private long retryAfterMinutes(Context ctx, Instant then) {
        long seconds = secondsUntil(then);
        ctx.header("Retry-After", Long.toString(seconds));
        return Math.max(1, (seconds + 59) / 60);
    }
}
