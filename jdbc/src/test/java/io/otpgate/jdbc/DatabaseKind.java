package io.otpgate.jdbc;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

/**
 * The databases OTPGate runs on. Each suite is an abstract test class that takes a kind, with one
 * small subclass per kind ({@code …OnSqliteTest}, {@code …OnPostgresTest}), so every behaviour is
 * proven on both with one copy of the test.
 */
public enum DatabaseKind {

    /** The embedded default: an SQLite file in the test's temporary directory. */
    SQLITE("SQLite") {
        @Override
        public TestDatabase fresh(Path dir) {
            return new TestDatabase("jdbc:sqlite:" + dir.resolve(Database.EMBEDDED_FILE), "", "");
        }
    },

    /** A new database on the embedded PostgreSQL server that the whole test run shares. */
    POSTGRESQL("PostgreSQL") {
        @Override
        public TestDatabase fresh(Path dir) {
            return EmbeddedPostgresServer.shared().createDatabase();
        }
    };

    private final String productName;

    DatabaseKind(String productName) {
        this.productName = productName;
    }

    /** What the JDBC driver calls its database ({@code DatabaseMetaData.getDatabaseProductName}). */
    public String productName() {
        return productName;
    }

    /** The finest time unit the database keeps. */
    public ChronoUnit timePrecision() {
        return this == SQLITE ? ChronoUnit.MILLIS : ChronoUnit.MICROS;
    }

    /** An empty database that no other test uses; {@code dir} is a temporary directory the test owns. */
    public abstract TestDatabase fresh(Path dir);
}
