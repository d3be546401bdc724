/**
 * Codes: drawn from {@code SecureRandom}, parsed from what a person typed, stored only as HMAC,
 * sealed with AES-GCM for the outbox and the confirm link.
 *
 * <p>API: {@link io.otpgate.core.code.CodeFormat}, {@link io.otpgate.core.code.Alphabet}, {@link
 * io.otpgate.core.code.ServerSecret}. The primitives ({@code CodeGenerator}, {@code CodeHasher},
 * {@code CodeSealer}, {@code LinkTokens}, {@code OneTimeCode}) are public for the adapters that
 * store and mail codes; no type here ever shows a code in {@code toString()}.
 */
package io.otpgate.core.code;
