/**
 * The policy: how codes are made, how long they live, how many attempts and sends they allow.
 *
 * <p>API: {@link io.otpgate.core.policy.Policy}, {@link io.otpgate.core.policy.DurationText}. No
 * SPI.
 */
package io.otpgate.core.policy;
