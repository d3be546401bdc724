package io.otpgate.core.verification;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to prove control of one address, as stored. It never holds the code.
 *
 * @param attemptsUsed checks counted so far (wrong ones, and the one right one if approved)
 * @param sends emails issued, the first included
 * @param tenant whom it belongs to: only this tenant checks, resends or cancels it
 * @param reader another tenant that may read it (a redirect URI's tenant, for the hosted pages)
 */
public record Verification(
        VerificationId id,
        EmailAddress email,
        Optional<DisplayName> name,
        Purpose purpose,
        Locale locale,
        Status status,
        Instant createdAt,
        Instant expiresAt,
        int attemptsUsed,
        int maxAttempts,
        int sends,
        int maxSends,
        Instant resendAvailableAt,
        Delivery delivery,
        Tenant tenant,
        Optional<Tenant> reader) {

    public Verification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(resendAvailableAt, "resendAvailableAt");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(reader, "reader");
    }

    /** The mailbox every limit, lock and lookup of this verification uses. */
    public MailboxKey mailbox() {
        return MailboxKey.of(email);
    }

    /** Whether {@code caller} may read it: its own tenant, or the reader it was started for. */
    public boolean readableBy(Tenant caller) {
        return tenant.equals(caller) || reader.filter(caller::equals).isPresent();
    }

    public int attemptsRemaining() {
        return Math.max(0, maxAttempts - attemptsUsed);
    }

    public int sendsRemaining() {
        return Math.max(0, maxSends - sends);
    }

    /**
     * The status a reader should see at {@code now}: a pending verification past its expiry is
     * reported as expired even before anything has written that down.
     */
    public Status statusAt(Instant now) {
        return status == Status.PENDING && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
    }

    /** This verification as seen at {@code now} (see {@link #statusAt}). */
    public Verification at(Instant now) {
        Status effective = statusAt(now);
        return effective == status ? this : withStatus(effective);
    }

    Verification withStatus(Status newStatus) {
        return new Verification(
                id,
                email,
                name,
                purpose,
                locale,
                newStatus,
                createdAt,
                expiresAt,
                attemptsUsed,
                maxAttempts,
                sends,
                maxSends,
                resendAvailableAt,
                delivery,
                tenant,
                reader);
    }
}
