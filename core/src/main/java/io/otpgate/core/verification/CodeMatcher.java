package io.otpgate.core.verification;

/** Tells whether the code being checked matches a stored hash; runs inside the store's transaction. */
@FunctionalInterface
public interface CodeMatcher {
  boolean matches(byte[] storedHash);
}
