package io.otpgate.jdbc;

import java.sql.SQLException;

/** The database failed (infrastructure, not a business outcome). */
public final class StoreException extends RuntimeException {
    StoreException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }
}
