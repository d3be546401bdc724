package io.otpgate.jdbc;

import io.otpgate.core.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * {@link Transactions} on a connection pool (PostgreSQL): each unit of work takes a connection and
 * runs in a transaction of its own; the database's row locks order concurrent writers.
 */
final class PooledTransactions implements Transactions {

    private final DataSource dataSource;

    PooledTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T write(Work<T> work) {
        return run(work);
    }

    @Override
    public <T> T read(Work<T> work) {
        return run(work);
    }

    private <T> T run(Work<T> work) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (RollBack rollBack) {
                connection.rollback();
                return rollBack.result();
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /**
     * Rolls back after {@code failure}. When the database went away (a restart, a killed backend) the
     * rollback fails too, and the pool has already closed the connection, so its failure says only
     * "Connection is closed": it is kept as suppressed, and the original failure, which says why
     * (57P01 "terminating connection", an 08 connection exception), decides 503 or 500.
     */
    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailed) {
            failure.addSuppressed(rollbackFailed);
        }
    }

    /** No connection (the server is down, the pool closed or exhausted) is "not now", never a 500. */
    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach the database: " + e.getMessage(), e);
        }
    }
}
