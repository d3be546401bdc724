/**
 * Maintenance on a schedule, one process at a time: old verifications, counters and keys deleted,
 * and expirations marked so that {@code verification.expired} happens without anyone asking.
 *
 * <p>API: {@link io.otpgate.core.retention.Purger}, {@link io.otpgate.core.retention.Purged},
 * {@link io.otpgate.core.retention.ExpirySweeper}. Store SPI: {@link
 * io.otpgate.core.retention.Purge}, {@link io.otpgate.core.retention.MaintenanceLease}.
 */
package io.otpgate.core.retention;
