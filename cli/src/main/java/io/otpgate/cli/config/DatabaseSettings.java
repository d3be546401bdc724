package io.otpgate.cli.config;

import io.otpgate.jdbc.Sync;
import java.util.Objects;
import java.util.Optional;

/**
 * Where verifications are kept: PostgreSQL at {@code url} ({@code OTPGATE_DB_URL}), or without
 * one the embedded SQLite file in the data directory.
 *
 * @param poolSize connections kept open ({@code OTPGATE_DB_POOL_SIZE})
 * @param sync when the embedded file's commits reach the disk ({@code OTPGATE_DB_SYNC})
 */
public record DatabaseSettings(
        Optional<String> url, Optional<String> user, Optional<String> password, int poolSize, Sync sync) {

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sync, "sync");
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool size must be at least 1");
        }
    }

    /** True without a URL: the SQLite file in the data directory. */
    public boolean embedded() {
        return url.isEmpty();
    }

    @Override
    public String toString() {
        // Never the password, even in a debug dump.
        return url.orElse("embedded SQLite");
    }
}
