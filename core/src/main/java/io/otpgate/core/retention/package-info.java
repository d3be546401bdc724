/**
 * Retention: old verifications, counters and keys deleted on a schedule, one process at a time.
 *
 * <p>API: {@link io.otpgate.core.retention.Purger}, {@link io.otpgate.core.retention.Purged}. Store
 * SPI: {@link io.otpgate.core.retention.Purge}.
 */
package io.otpgate.core.retention;
