/**
 * Verifications: the state machine that starts them, checks codes, resends and cancels.
 *
 * <p>API: {@link io.otpgate.core.verification.Verifier} and its requests and sealed outcomes
 * ({@link io.otpgate.core.verification.StartRequest}, {@link
 * io.otpgate.core.verification.StartResult}, {@link io.otpgate.core.verification.CheckResult},
 * {@link io.otpgate.core.verification.ResendResult}, {@link
 * io.otpgate.core.verification.CancelResult}), each branched on with a {@code switch} over its
 * {@code kind()}; the values {@link io.otpgate.core.verification.Verification} and {@link
 * io.otpgate.core.verification.Status} (its id and purpose are in {@code io.otpgate.core.id}). Store SPI: {@link
 * io.otpgate.core.verification.VerificationStore} with what it is handed and answers ({@code
 * NewVerification}, {@code Reissue}, {@code AttemptOutcome}, {@code CodeMatcher}, {@code
 * Idempotency}, {@code FailureLock}).
 */
package io.otpgate.core.verification;
