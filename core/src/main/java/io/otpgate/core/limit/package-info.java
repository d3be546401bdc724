/**
 * Rate limits counted in the shared database, so that they hold across processes.
 *
 * <p>Values: {@link io.otpgate.core.limit.RateLimit}, {@link io.otpgate.core.limit.Limited}. Store
 * SPI: {@link io.otpgate.core.limit.RateLimiter}.
 */
package io.otpgate.core.limit;
