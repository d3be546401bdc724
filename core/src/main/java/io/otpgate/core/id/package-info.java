/**
 * Identifiers every layer uses to name a verification: its {@link io.otpgate.core.id.VerificationId},
 * the {@link io.otpgate.core.id.Purpose} its code is for, and the {@link
 * io.otpgate.core.id.RandomIds} that mint ids. They sit below the verification, code, delivery and
 * webhook packages so those depend on these values and not on each other.
 */
package io.otpgate.core.id;
