package io.otpgate.jdbc;

import java.util.Locale;
import java.util.Optional;

/** When the embedded store's commits reach the disk ({@code OTPGATE_DB_SYNC}). */
public enum Sync {

    /**
     * Every commit is fsynced before the caller is answered: a 2xx survives a power loss. The
     * default; group commit shares each fsync among the writes waiting for it.
     */
    FULL,

    /**
     * Commits reach the operating system at once and the disk at the next checkpoint: safe through
     * a crash or {@code kill -9} of the process, but a power loss or a kernel crash can take back the
     * last writes the API acknowledged. Faster where fsync is slow.
     */
    NORMAL;

    /** {@code full} or {@code normal}, in any letter case. */
    public static Optional<Sync> parse(String value) {
        for (Sync sync : values()) {
            if (sync.name().equalsIgnoreCase(value.strip())) {
                return Optional.of(sync);
            }
        }
        return Optional.empty();
    }

    /** The setting's value as an operator writes it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
