package io.otpgate.jdbc;

import io.otpgate.core.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The database failed (infrastructure, not a business outcome). */
public final class StoreException extends RuntimeException {

    /**
     * SQLite's primary result codes that say "not now" rather than "wrong": another process held
     * the file past the busy timeout, the disk is full or failing, the file cannot be opened.
     */
    private static final Set<Integer> SQLITE_UNAVAILABLE = Set.of(
            SQLiteErrorCode.SQLITE_BUSY.code,
            SQLiteErrorCode.SQLITE_LOCKED.code,
            SQLiteErrorCode.SQLITE_FULL.code,
            SQLiteErrorCode.SQLITE_IOERR.code,
            SQLiteErrorCode.SQLITE_CANTOPEN.code,
            SQLiteErrorCode.SQLITE_READONLY.code);

    private StoreException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }

    /**
     * The exception to throw for {@code e}: {@link StoreUnavailableException} when the database is
     * out of reach or out of room for now (the API answers 503), this class otherwise (500).
     */
    static RuntimeException of(SQLException e) {
        if (unavailable(e)) {
            return new StoreUnavailableException("database unavailable: " + e.getMessage(), e);
        }
        return new StoreException(e);
    }

    /** Whether {@code e} says "not now" (see {@link #of}). */
    static boolean unavailable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientException // a pool that found no connection in time
                || state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources (disk full, too many connections)
                || state.startsWith("57P") // the server is shutting down or restarting
                || (e instanceof SQLiteException sqlite
                        && SQLITE_UNAVAILABLE.contains(sqlite.getResultCode().code & 0xff));
    }
}
