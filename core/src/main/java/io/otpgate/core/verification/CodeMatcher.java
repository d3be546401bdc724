package io.otpgate.core.verification;

import io.otpgate.core.id.Purpose;

/** Tells whether the code being checked matches a stored hash; runs inside the store's transaction. */
@FunctionalInterface
public interface CodeMatcher {
    /**
     * @param purpose the verification's purpose, which its hash is bound to (the store reads it with
     *     the hash, so the engine needs no read of its own before the check)
     */
    boolean matches(Purpose purpose, byte[] storedHash);
}
