/**
 * Aggregate figures over the store, for the operator.
 *
 * <p>Values: {@link io.otpgate.core.stats.Stats}, {@link io.otpgate.core.stats.OutboxBacklog}.
 * Store SPI: {@link io.otpgate.core.stats.StatsReader}.
 */
package io.otpgate.core.stats;
