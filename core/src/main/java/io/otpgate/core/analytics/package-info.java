/**
 * Analytics for a tenant's owner: the funnel started → delivered → approved, conversion, time to
 * verify, delivery latency, failures and the slices by recipient domain and language, over a chosen
 * {@link io.otpgate.core.analytics.Period}.
 *
 * <p>Figures are read from an hourly rollup that outlives the retention of verifications; the
 * store keeps it up to date ({@link io.otpgate.core.analytics.Rollup}, run by the expiry sweeper
 * under its lease). Values: {@link io.otpgate.core.analytics.Analytics} and its parts. Store SPI:
 * {@link io.otpgate.core.analytics.AnalyticsReader}.
 */
package io.otpgate.core.analytics;
