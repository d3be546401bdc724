/**
 * Email delivery through a durable outbox: rows written with the verification, claimed under
 * heartbeat leases, rendered, sent and recorded.
 *
 * <p>API: {@link io.otpgate.core.delivery.OutboxDispatcher} and what it reports ({@link
 * io.otpgate.core.delivery.Delivery}, {@link io.otpgate.core.delivery.DeliveryHealth}, {@link
 * io.otpgate.core.delivery.DeliveryListener}). Store SPI: {@link io.otpgate.core.delivery.Outbox},
 * {@link io.otpgate.core.delivery.CapturedEmails}. Mail SPI: {@link
 * io.otpgate.core.delivery.MailTransport}, {@link io.otpgate.core.delivery.MailComposer}, with
 * {@link io.otpgate.core.delivery.SendOutcome}. The lease bookkeeping is package-private.
 */
package io.otpgate.core.delivery;
