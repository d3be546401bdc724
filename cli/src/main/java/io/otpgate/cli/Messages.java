package io.otpgate.cli;

import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Status;
import java.time.Duration;
import java.time.Instant;

/** What the CLI tells a person about each outcome of the engine. */
final class Messages {

    private Messages() {}

    static String describe(StartResult result, Instant now) {
        return switch (result.kind()) {
            case STARTED ->
                "Started " + ((StartResult.Started) result).verification().id();
            case REPLAYED ->
                "Already started "
                        + ((StartResult.Replayed) result).verification().id() + " earlier";
            case INVALID_EMAIL ->
                "That is not a valid email address: " + ((StartResult.InvalidEmail) result).reason() + ".";
            case INVALID_FIELD -> {
                StartResult.InvalidField invalid = (StartResult.InvalidField) result;
                yield "Invalid " + invalid.field() + ": " + invalid.reason() + ".";
            }
            case RATE_LIMITED -> rateLimited(now, ((StartResult.RateLimited) result).retryAt());
            case RECIPIENT_LOCKED -> locked(now, ((StartResult.RecipientLocked) result).until());
            case IDEMPOTENCY_KEY_REUSED ->
                "This row was queued earlier with other content (name or locale) under"
                        + " the same key; nothing was sent.";
        };
    }

    static String describe(CheckResult result, Instant now) {
        return switch (result.kind()) {
            case APPROVED ->
                "Verified " + ((CheckResult.Approved) result).verification().email();
            case INCORRECT -> {
                int left = ((CheckResult.Incorrect) result).verification().attemptsRemaining();
                yield "Wrong code. " + left + (left == 1 ? " attempt" : " attempts") + " left.";
            }
            case INVALID_FORMAT ->
                "Not a valid code: " + ((CheckResult.InvalidFormat) result).reason()
                        + ". (That did not use an attempt.)";
            case EXPIRED -> "The code has expired: not verified. Start again for a new code.";
            case EXHAUSTED -> "Too many attempts: not verified.";
            case ALREADY_APPROVED -> "This verification was already approved; codes work once.";
            case CANCELED -> "This verification was canceled (a newer one was started for the same address?).";
            case RECIPIENT_LOCKED -> locked(now, ((CheckResult.RecipientLocked) result).until());
            case NOT_FOUND -> "No such verification.";
        };
    }

    static String describe(ResendResult result, Instant now) {
        return switch (result.kind()) {
            case RESENT -> "Sending a new code; the previous one no longer works ...";
            case TOO_SOON ->
                "You can ask for a new code in " + until(now, ((ResendResult.TooSoon) result).retryAt()) + ".";
            case MAX_SENDS_REACHED ->
                "No more codes can be sent for this verification. Use the last code you received.";
            case NOT_PENDING -> {
                Status status =
                        ((ResendResult.NotPending) result).verification().status();
                yield "This verification is " + status.wireName() + ": nothing to resend.";
            }
            case NOT_FOUND -> "No such verification.";
            case RATE_LIMITED -> rateLimited(now, ((ResendResult.RateLimited) result).retryAt());
            case RECIPIENT_LOCKED -> locked(now, ((ResendResult.RecipientLocked) result).until());
        };
    }

    private static String rateLimited(Instant now, Instant retryAt) {
        return "Too many emails to this address; try again in " + until(now, retryAt) + ".";
    }

    private static String locked(Instant now, Instant lockedUntil) {
        return "This address is locked after too many wrong codes; try again in " + until(now, lockedUntil) + ".";
    }

    private static String until(Instant now, Instant then) {
        return inWords(Duration.between(now, then));
    }

    /** "10 minutes", "1 minute 30 seconds", "45 seconds": rounded up, never "0 seconds". */
    static String inWords(Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        StringBuilder words = new StringBuilder();
        append(words, hours, "hour");
        append(words, minutes, "minute");
        if (hours == 0) {
            append(words, rest, "second");
        }
        return words.toString();
    }

    private static void append(StringBuilder words, long amount, String unit) {
        if (amount == 0) {
            return;
        }
        if (words.length() > 0) {
            words.append(' ');
        }
        words.append(amount).append(' ').append(unit).append(amount == 1 ? "" : "s");
    }
}
