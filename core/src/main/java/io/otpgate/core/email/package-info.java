/**
 * Email addresses and display names as values: canonical form, the mailbox key that every
 * per-address limit uses, and the header rules that keep untrusted text out of mail headers.
 *
 * <p>API: {@link io.otpgate.core.email.EmailAddress}, {@link io.otpgate.core.email.MailboxKey},
 * {@link io.otpgate.core.email.DisplayName}. No SPI.
 */
package io.otpgate.core.email;
