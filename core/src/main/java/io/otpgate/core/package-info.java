/**
 * The engine of OTPGate: everything that decides, without knowing JDBC, SMTP, HTTP or the CLI.
 *
 * <p>Sub-packages by feature. The API a caller uses: {@link io.otpgate.core.verification.Verifier}
 * (start, check, resend, cancel), {@link io.otpgate.core.apikey.ApiKeys}, {@link
 * io.otpgate.core.delivery.OutboxDispatcher} and {@link io.otpgate.core.retention.Purger}, with the
 * values and sealed outcomes they take and return. The store SPI (ports an adapter implements, the
 * {@code jdbc} module for SQLite and PostgreSQL): {@code VerificationStore}, {@code Outbox}, {@code
 * ApiKeyStore}, {@code RateLimiter}, {@code Purge}, {@code StatsReader}, {@code CapturedEmails};
 * the mail SPI: {@code MailTransport}, {@code MailComposer}. {@link
 * io.otpgate.core.StoreUnavailableException} is what every store throws when its database cannot
 * answer, so that each face can say "try again" instead of "bug".
 */
package io.otpgate.core;
