package io.otpgate.core;

/**
 * The database could not take or keep this change right now (its file is busy with another process
 * past the wait, the disk is full, the server is unreachable), and nothing was changed. Worth a
 * retry later: the HTTP API answers 503 {@code unavailable} with a {@code Retry-After}.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
