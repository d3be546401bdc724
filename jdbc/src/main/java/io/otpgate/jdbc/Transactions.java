package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs the stores' work in transactions. A write is committed durably before {@link #write}
 * returns, or not at all; a read sees one consistent snapshot. PostgreSQL runs both on pooled
 * connections ({@link PooledTransactions}); SQLite funnels every write through one writer that
 * commits many callers' work at once ({@link GroupCommit}) and reads on connections of their own.
 */
interface Transactions {

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work that changes data: all of it committed before this returns, or none of it. */
    <T> T write(Work<T> work);

    /** Work that only reads. It may run beside writes and must not change anything. */
    <T> T read(Work<T> work);

    /**
     * Ends the current work with {@code result}, undoing every change it made: for "nothing may
     * change" outcomes found part way through. Use as {@code return Transactions.rollBack(result);}.
     */
    static <T> T rollBack(T result) {
        throw new RollBack(result);
    }

    /**
     * Carries the result of {@link #rollBack} out of the work to the runner, which undoes the work's
     * changes (its transaction, or on SQLite its savepoint in the group) and answers with it.
     */
    final class RollBack extends RuntimeException {
        private final transient Object result;

        private RollBack(Object result) {
            super(null, null, false, false);
            this.result = result;
        }

        @SuppressWarnings("unchecked")
        <T> T result() {
            return (T) result;
        }
    }
}
