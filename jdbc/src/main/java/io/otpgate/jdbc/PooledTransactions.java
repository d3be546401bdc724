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
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of(e);
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
