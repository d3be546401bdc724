package io.otpgate.jdbc;

import java.nio.file.Path;

/**
 * The databases OTPGate runs on. Each suite is an abstract test class that takes a kind, with one
 * small subclass per kind ({@code …OnH2Test}, {@code …OnPostgresTest}), so every behaviour is
 * proven on both with one copy of the test.
 */
public enum DatabaseKind {

    /** The embedded default: an H2 file in the test's temporary directory. */
    H2("H2") {
        @Override
        public TestDatabase fresh(Path dir) {
            return new TestDatabase(Database.embeddedUrl(dir), "sa", "");
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

    /** An empty database that no other test uses; {@code dir} is a temporary directory the test owns. */
    public abstract TestDatabase fresh(Path dir);
}
