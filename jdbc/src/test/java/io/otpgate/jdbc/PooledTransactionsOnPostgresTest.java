package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.StoreUnavailableException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a unit of work on PostgreSQL reports when the database goes away under it, as in a {@code
 * pg_ctl restart}: the backend is terminated in the middle of the transaction.
 */
class PooledTransactionsOnPostgresTest {

    private final Database database =
            EmbeddedPostgresServer.shared().createDatabase().open(2);
    private final PooledTransactions transactions = new PooledTransactions(database.dataSource());

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aBackendTerminatedMidTransactionIsUnavailableNotAnErrorEvenThoughTheRollbackFailsToo() {
        // The pool closes the connection on the 57P01; the rollback then fails with only "Connection
        // is closed", which used to replace the original failure and made the API answer 500.
        assertThatThrownBy(() -> transactions.write(connection -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute("select pg_terminate_backend(pg_backend_pid())");
                    }
                    return null;
                }))
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).isNotEmpty());
        // The pool recovers: the next unit of work gets a new connection.
        boolean answers = transactions.read(connection -> {
            try (Statement s = connection.createStatement()) {
                return s.executeQuery("select 1").next();
            }
        });
        assertThat(answers).isTrue();
    }

    @Test
    void aFaultyStatementStaysAnErrorAndIsRolledBack() {
        assertThatThrownBy(() -> transactions.write(connection -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute("create table rolled_back (x int)");
                        s.execute("select * from no_such_table");
                    }
                    return null;
                }))
                .isInstanceOf(StoreException.class);
        boolean rolledBack = transactions.read(connection -> {
            try (Statement s = connection.createStatement()) {
                return s.executeQuery("select to_regclass('rolled_back') is null")
                                .next()
                        && s.getResultSet().getBoolean(1);
            }
        });
        assertThat(rolledBack).isTrue();
    }
}
