package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otpgate.core.code.ServerSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a database: the schema is migrated once, on the database asked for; run by {@code DatabaseOn…Test}. */
abstract class DatabaseTest {

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    DatabaseTest(DatabaseKind kind) {
        this.kind = kind;
    }

    private static ServerSecret secret(char... keys) {
        List<byte[]> bytes = new ArrayList<>();
        for (char key : keys) {
            bytes.add(String.valueOf(key).repeat(32).getBytes(StandardCharsets.US_ASCII));
        }
        return ServerSecret.of(bytes);
    }

    /**
     * Codes and API keys are hashed under the secret: a database opened under another one would
     * refuse every code and key in silence, so it is refused at start instead, rotation allowed.
     */
    @Test
    void aDatabaseKeepsToTheSecretItWasMadeUnderThroughARotation() {
        TestDatabase db = kind.fresh(dir);
        try (Database database = db.open(2)) {
            database.requireSecret(secret('a'));
            database.requireSecret(secret('a'));
            assertThatThrownBy(() -> database.requireSecret(secret('b')))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("created under another secret");
            // Rotation: the new key in front, the old one still there, then the old one dropped.
            database.requireSecret(secret('b', 'a'));
            database.requireSecret(secret('b'));
            assertThatThrownBy(() -> database.requireSecret(secret('a')))
                    .as("the old key alone, after the rotation moved on")
                    .isInstanceOf(IllegalStateException.class);
        }
        try (Database reopened = db.open(2)) {
            reopened.requireSecret(secret('b'));
        }
    }

    @Test
    void reopeningFindsTheSchemaMigratedAndTheDataKept() {
        TestDatabase db = kind.fresh(dir);
        try (EngineFixture first = new EngineFixture(db)) {
            first.start("ada@example.com");
        }

        try (EngineFixture again = new EngineFixture(db)) {
            assertThat(again.count("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success"))
                    .isZero();
            assertThat(again.count("SELECT COUNT(*) FROM verifications")).isEqualTo(1);
        }
    }

    @Test
    void runsOnTheDatabaseItWasGiven() throws Exception {
        try (Database database = kind.fresh(dir).open(2);
                Connection c = database.dataSource().getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo(kind.productName());
            assertThat(database.describe()).startsWith(kind.productName());
        }
    }

    /**
     * The clock every process judges times by is the database's own: read between two readings of
     * the database's clock, it falls between them (give or take a reading's error, well under the
     * slack allowed here, which still catches a wrong unit or zone), now and after a resync.
     */
    @Test
    void theClockIsTheDatabases() throws Exception {
        try (Database database = kind.fresh(dir).open(2);
                Connection c = database.dataSource().getConnection()) {
            Dialect dialect = Dialect.of(c);
            Duration slack = Duration.ofMillis(250);
            for (int round = 0; round < 3; round++) {
                Instant before = databaseTime(c, dialect);
                Instant clock = database.clock().instant();
                Instant after = databaseTime(c, dialect);
                assertThat(clock).isBetween(before.minus(slack), after.plus(slack));
                ((DatabaseClock) database.clock()).resync();
            }
        }
    }

    private static Instant databaseTime(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(dialect.clockQuery())) {
            rs.next();
            return dialect.instant(rs, "now");
        }
    }

    @Test
    void aDatabaseOfTheSchemaBeforeThePurgeIsUpgradedKeepingItsFailureCounts() throws Exception {
        // SQLite files start at the schema PostgreSQL reached in V8; older data dirs are H2 files,
        // whose upgrade is H2ImportTest's.
        assumeTrue(kind == DatabaseKind.POSTGRESQL, "PostgreSQL's migrations only");
        TestDatabase db = kind.fresh(dir);
        Flyway.configure()
                .dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration")
                .target("2")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.executeUpdate("""
          INSERT INTO recipient_failures (email, consecutive, locked_until) VALUES ('ada@example.com', 4, NULL)
          """);
        }

        try (EngineFixture upgraded = new EngineFixture(db)) {
            assertThat(upgraded.count("SELECT consecutive FROM mailbox_failures WHERE last_failed_at IS NOT NULL"))
                    .isEqualTo(4);
        }
    }
}
