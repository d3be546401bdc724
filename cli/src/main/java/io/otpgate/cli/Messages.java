package io.otpgate.cli;

import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartResult;
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
            case RATE_LIMITED ->
                "Too many emails to this address; try again in "
                        + until(now, ((StartResult.RateLimited) result).retryAt()) + ".";
            case RECIPIENT_LOCKED ->
                "This address is locked after too many wrong codes; try again in "
                        + until(now, ((StartResult.RecipientLocked) result).until()) + ".";
            case IDEMPOTENCY_KEY_REUSED ->
                "This row was queued earlier with other content (name or locale) under"
                        + " the same key; nothing was sent.";
        };
    }

    static String describe(CheckResult result, Instant now) {
        if (result instanceof CheckResult.Expired) {
            return "The code has expired: not verified. Start again for a new code.";
        }
        if (result instanceof CheckResult.Exhausted) {
            return "Too many attempts: not verified.";
        }
        if (result instanceof CheckResult.AlreadyApproved) {
            return "This verification was already approved; codes work once.";
        }
        if (result instanceof CheckResult.Canceled) {
            return "This verification was canceled (a newer one was started for the same address?).";
        }
        if (result instanceof CheckResult.RecipientLocked locked) {
            return "This address is locked after too many wrong codes; try again in " + until(now, locked.until())
                    + ".";
        }
        if (result instanceof CheckResult.NotFound) {
            return "No such verification.";
        }
        if (result instanceof CheckResult.InvalidFormat invalid) {
            return "Not a valid code: " + invalid.reason() + ".";
        }
        if (result instanceof CheckResult.Incorrect incorrect) {
            return "Wrong code. " + incorrect.verification().attemptsRemaining() + " attempts left.";
        }
        return "Verified " + ((CheckResult.Approved) result).verification().email();
    }

    static String describe(ResendResult result, Instant now) {
        if (result instanceof ResendResult.NotPending notPending) {
            return "This verification is " + notPending.verification().status().wireName() + ": nothing to resend.";
        }
        if (result instanceof ResendResult.NotFound) {
            return "No such verification.";
        }
        if (result instanceof ResendResult.RateLimited limited) {
            return "Too many emails to this address; try again in " + until(now, limited.retryAt()) + ".";
        }
        if (result instanceof ResendResult.RecipientLocked locked) {
            return "This address is locked after too many wrong codes; try again in " + until(now, locked.until())
                    + ".";
        }
        if (result instanceof ResendResult.TooSoon tooSoon) {
            return "You can ask for a new code in " + until(now, tooSoon.retryAt()) + ".";
        }
        if (result instanceof ResendResult.MaxSendsReached) {
            return "No more codes can be sent for this verification.";
        }
        return "A new code is on its way.";
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
