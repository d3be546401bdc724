package io.otpgate.core.analytics;

import java.util.Optional;

/**
 * The figures of a cohort of verifications (those started in a span of time, or of one domain or
 * language in it): what one rollup row holds, and what summing rows gives.
 *
 * @param started verifications started
 * @param delivered of them, those whose email a mail server accepted
 * @param undeliverable of them, those whose email failed for good and none was accepted
 * @param approved of them, those approved
 * @param expired of them, those whose code expired unused
 * @param exhausted of them, those that failed by running out of attempts
 * @param canceled of them, those canceled
 * @param wrongCodes wrong codes entered for them (attempts, not verifications)
 * @param mailboxes distinct mailboxes that started one, counted per hour (a restart within the hour
 *     is one mailbox)
 * @param mailboxesApproved of those mailboxes, the ones with an approved verification in the hour
 */
public record Counts(
        long started,
        long delivered,
        long undeliverable,
        long approved,
        long expired,
        long exhausted,
        long canceled,
        long wrongCodes,
        long mailboxes,
        long mailboxesApproved) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Counts plus(Counts o) {
        return new Counts(
                started + o.started,
                delivered + o.delivered,
                undeliverable + o.undeliverable,
                approved + o.approved,
                expired + o.expired,
                exhausted + o.exhausted,
                canceled + o.canceled,
                wrongCodes + o.wrongCodes,
                mailboxes + o.mailboxes,
                mailboxesApproved + o.mailboxesApproved);
    }

    /**
     * Approved mailboxes over mailboxes that started one, so that a person who restarts does not
     * lower it; empty before anyone started.
     */
    public Optional<Double> conversion() {
        return mailboxes == 0 ? Optional.empty() : Optional.of((double) mailboxesApproved / mailboxes);
    }
}
