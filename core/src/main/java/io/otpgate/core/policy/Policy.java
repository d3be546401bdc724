package io.otpgate.core.policy;

import io.otpgate.core.code.Alphabet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How codes are made and how hard they are to guess: one immutable value, validated when built.
 *
 * <p>The defaults: 6 digits, 10 minutes, 3 wrong checks, 5 sends, a 30 s resend
 * cooldown, 10 emails per address per hour, and a 1 h lock after 20 consecutive wrong checks on
 * one address across verifications (NIST SP 800-63B rev 4 §3.2.2 caps that at 100).
 *
 * @param codeLength symbols per code, 4–10
 * @param alphabet what the symbols are drawn from
 * @param codeTtl how long a code is valid, at most 24 hours
 * @param maxAttempts checks allowed per verification; resends do not reset them
 * @param maxSends emails per verification, the first included
 * @param resendCooldown time between two sends of one verification
 * @param recipientHourlyLimit emails to one mailbox per hour, across verifications, per tenant
 * @param recipientFailureLimit consecutive wrong checks on one mailbox, per tenant, before it is locked
 * @param recipientLock how long such a lock lasts
 * @param pagesRecipientHourlyLimit {@code recipientHourlyLimit} for the hosted pages' tenant, whose
 *     visitors are anonymous
 * @param recipientHourlyCeiling emails to one mailbox ({@code +tag} dropped) per hour across all
 *     tenants, so several tenants together cannot bomb one inbox
 */
public record Policy(
        int codeLength,
        Alphabet alphabet,
        Duration codeTtl,
        int maxAttempts,
        int maxSends,
        Duration resendCooldown,
        int recipientHourlyLimit,
        int recipientFailureLimit,
        Duration recipientLock,
        int pagesRecipientHourlyLimit,
        int recipientHourlyCeiling) {

    public static final int DEFAULT_PAGES_RECIPIENT_HOURLY_LIMIT = 3;
    public static final int DEFAULT_RECIPIENT_HOURLY_CEILING = 20;

    public static final int MIN_CODE_LENGTH = 4;
    public static final int MAX_CODE_LENGTH = 10;
    public static final Duration MAX_TTL = Duration.ofHours(24);

    public Policy {
        Objects.requireNonNull(alphabet, "alphabet");
        Objects.requireNonNull(codeTtl, "codeTtl");
        Objects.requireNonNull(resendCooldown, "resendCooldown");
        Objects.requireNonNull(recipientLock, "recipientLock");
        require(
                codeLength >= MIN_CODE_LENGTH && codeLength <= MAX_CODE_LENGTH,
                "code length must be between 4 and 10, got " + codeLength);
        require(!codeTtl.isNegative() && !codeTtl.isZero(), "code TTL must be positive");
        require(
                codeTtl.compareTo(MAX_TTL) <= 0,
                "code TTL must be at most 24h (NIST SP 800-63B rev 4 §4.2.1.2), got " + DurationText.format(codeTtl));
        require(maxAttempts >= 1, "max attempts must be at least 1");
        require(maxSends >= 1, "max sends must be at least 1");
        require(!resendCooldown.isNegative(), "resend cooldown must not be negative");
        require(recipientHourlyLimit >= 1, "recipient hourly limit must be at least 1");
        require(recipientFailureLimit >= 1, "recipient failure limit must be at least 1");
        require(!recipientLock.isNegative(), "recipient lock must not be negative");
        require(pagesRecipientHourlyLimit >= 1, "pages recipient hourly limit must be at least 1");
        require(recipientHourlyCeiling >= 1, "recipient hourly ceiling must be at least 1");
    }

    /** With the default pages budget and all-tenant ceiling. */
    public Policy(
            int codeLength,
            Alphabet alphabet,
            Duration codeTtl,
            int maxAttempts,
            int maxSends,
            Duration resendCooldown,
            int recipientHourlyLimit,
            int recipientFailureLimit,
            Duration recipientLock) {
        this(
                codeLength,
                alphabet,
                codeTtl,
                maxAttempts,
                maxSends,
                resendCooldown,
                recipientHourlyLimit,
                recipientFailureLimit,
                recipientLock,
                DEFAULT_PAGES_RECIPIENT_HOURLY_LIMIT,
                DEFAULT_RECIPIENT_HOURLY_CEILING);
    }

    /** This policy with another per-address budget for the hosted pages and another all-tenant ceiling. */
    public Policy withRecipientBudgets(int pagesHourlyLimit, int hourlyCeiling) {
        return new Policy(
                codeLength,
                alphabet,
                codeTtl,
                maxAttempts,
                maxSends,
                resendCooldown,
                recipientHourlyLimit,
                recipientFailureLimit,
                recipientLock,
                pagesHourlyLimit,
                hourlyCeiling);
    }

    public static Policy defaults() {
        return new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 10, 20, Duration.ofHours(1));
    }

    /** The chance that one guess is right: 1 / alphabet^length. */
    public double singleGuessProbability() {
        return Math.pow(alphabet.size(), -codeLength);
    }

    /** The chance that an attacker who uses every attempt of one verification gets in. */
    public double attackerSuccessPerVerification() {
        return Math.min(1.0, maxAttempts * singleGuessProbability());
    }

    /**
     * Warnings an operator should read at start-up: settings weaker than the defaults' security
     * level (a 10⁻⁶ guess space, at most 5 attempts per code).
     */
    public List<String> weaknesses() {
        List<String> warnings = new ArrayList<>();
        String odds = String.format(
                java.util.Locale.ROOT,
                "an attacker who uses all %d attempts of one verification succeeds with probability %.2g",
                maxAttempts,
                attackerSuccessPerVerification());
        if (codeLength < 6 && alphabet == Alphabet.DIGITS) {
            warnings.add("codes are only " + codeLength + " digits: " + odds);
        } else if (attackerSuccessPerVerification() > 5e-6) {
            warnings.add("the attempt budget is high for the code space: " + odds);
        }
        if (codeTtl.compareTo(Duration.ofHours(1)) > 0) {
            warnings.add("codes live " + DurationText.format(codeTtl) + "; NIST SP 800-63B expects 10 minutes for "
                    + "verification codes");
        }
        if (recipientFailureLimit > 100) {
            warnings.add("an address is locked only after " + recipientFailureLimit
                    + " consecutive wrong checks; NIST SP 800-63B allows at most 100");
        }
        return warnings;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
