package io.otpgate.jdbc;

import static io.otpgate.jdbc.OldSchemaRows.at;
import static io.otpgate.jdbc.OldSchemaRows.insert;
import static io.otpgate.jdbc.OldSchemaRows.verification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.apikey.ApiKeys;
import io.otpgate.core.apikey.CreatedApiKey;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.VerificationStore;
import io.otpgate.core.verification.Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir from before SQLite: its H2 file is made the way the previous version made it (the same
 * stores, on H2, under a password derived from the secret), then opened by this version, which must
 * bring everything across: codes that still check, keys that still work, limits that still hold.
 */
class H2ImportTest {

    private static final ServerSecret SECRET = secret('a');

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    private static ServerSecret secret(char c) {
        return ServerSecret.of(List.of(String.valueOf(c).repeat(32).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The previous version's embedded database in {@link #dir}, at schema {@code version}. */
    private JdbcDataSource oldH2(String password, String version) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("otpgate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        h2.setPassword(password);
        Flyway.configure()
                .dataSource(h2)
                .locations("classpath:db/migration")
                .javaMigrations(new V5__Tenants())
                .target(version)
                .load()
                .migrate();
        withTodaysHistoryTables(h2);
        return h2;
    }

    /**
     * The tables today's stores write beside the H2-era ones (events, webhooks), so the tests can
     * fill an old file through them: V10's tables without its partial index, which H2 cannot make.
     * The import copies none of them.
     */
    private static void withTodaysHistoryTables(JdbcDataSource h2) {
        try (var in = H2ImportTest.class.getResourceAsStream("/db/migration/V10__events_and_webhooks.sql");
                Connection c = h2.getConnection();
                Statement statement = c.createStatement()) {
            String script =
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
            for (String sql : script.split(";")) {
                if (!sql.isBlank() && !sql.contains("WHERE")) {
                    statement.execute(sql);
                }
            }
        } catch (java.io.IOException | SQLException e) {
            throw new AssertionError("cannot add today's tables to the H2 file", e);
        }
    }

    /**
     * V11's key scope, which today's key store writes, added to the old file just before a key is
     * made through it. A real old file has none (its keys arrive with the default, full, as the
     * other tests show). Added when the file is made, H2 lost the starts written after it.
     */
    private static void withTodaysKeyScope(Transactions h2) {
        h2.write(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("ALTER TABLE api_keys ADD COLUMN scope VARCHAR(8) DEFAULT 'full' NOT NULL");
            }
            return null;
        });
    }

    private static String derivedPassword(ServerSecret secret) {
        return HexFormat.of().formatHex(secret.derive("otpgate h2 password").get(0));
    }

    private Verifier verifier(VerificationStore store) {
        return Verifier.builder()
                .policy(Policy.defaults())
                .store(store)
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    private static Verification started(StartResult result) {
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).verification();
    }

    private static String codeOf(Transactions tx, Verification v) {
        CodeSealer sealer = new CodeSealer(SECRET, new SecureRandom());
        return tx.read(c -> {
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT o.id, o.sealed_code FROM outbox o JOIN verifications v ON o.id = v.outbox_id"
                                    + " WHERE v.id = ?",
                            v.id().value());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return sealer.open(rs.getString(1), rs.getBytes(2)).reveal();
            }
        });
    }

    @Test
    void everythingTheOldStoreHeldWorksAfterTheImport() {
        Transactions h2 = new PooledTransactions(oldH2(derivedPassword(SECRET), "8"));
        Verifier before = verifier(new JdbcVerificationStore(h2, new JdbcOutbox(h2)));
        Verification pending = started(before.start(StartRequest.of("ada@example.com")));
        String pendingCode = codeOf(h2, pending);
        Verification approved = started(before.start(StartRequest.of("bob@example.com")));
        assertThat(before.check(Tenant.DEFAULT, approved.id(), codeOf(h2, approved)))
                .isInstanceOf(CheckResult.Approved.class);
        for (int i = 0; i < Policy.defaults().recipientHourlyLimit(); i++) {
            started(before.start(StartRequest.of("carol@example.com")));
        }
        withTodaysKeyScope(h2);
        CreatedApiKey key = ApiKeys.builder()
                .store(new JdbcApiKeyStore(h2))
                .clock(clock)
                .build()
                .create("ci", Tenant.DEFAULT);

        try (Database imported = Database.openEmbedded(dir, SECRET, 2, Sync.FULL)) {
            Verifier after = verifier(imported.verifications());

            Verification found = imported.verifications().find(pending.id()).orElseThrow();
            assertThat(found.createdAt()).isEqualTo(pending.createdAt().truncatedTo(ChronoUnit.MILLIS));
            assertThat(found.status()).isEqualTo(Status.PENDING);
            assertThat(imported.outbox().claim("after", 10, clock.instant(), Duration.ofSeconds(60)))
                    .as("the queued emails can still be delivered")
                    .isNotEmpty();
            assertThat(after.check(Tenant.DEFAULT, pending.id(), pendingCode))
                    .as("the code emailed before the upgrade")
                    .isInstanceOf(CheckResult.Approved.class);
            assertThat(imported.verifications()
                            .find(approved.id())
                            .orElseThrow()
                            .status())
                    .isEqualTo(Status.APPROVED);
            assertThat(after.start(StartRequest.of("Carol@Example.com")))
                    .as("the hour's budget spent before the upgrade still counts")
                    .isInstanceOf(StartResult.RateLimited.class);
            assertThat(ApiKeys.builder()
                            .store(imported.apiKeys())
                            .clock(clock)
                            .build()
                            .authenticate(key.plaintext().reveal()))
                    .as("an API key made before the upgrade")
                    .isPresent();
        }
        assertThat(dir.resolve("otpgate.mv.db")).doesNotExist();
        assertThat(dir.resolve("otpgate.mv.db.imported")).exists();
        assertThat(dir.resolve(Database.EMBEDDED_FILE)).exists();
    }

    /**
     * The oldest data dirs (schema 4, no password, addresses in any letter case): the import runs
     * the tenant migration on the way, so case variants arrive merged into one mailbox.
     */
    @Test
    void anOldDataDirArrivesWithItsCaseVariantsMerged() throws SQLException {
        JdbcDataSource h2 = oldH2("", "4");
        Instant now = clock.instant();
        try (Connection c = h2.getConnection()) {
            verification(c, "ver_0000000000000000000000000a", "Ada@example.com", now.minusSeconds(120));
            verification(c, "ver_0000000000000000000000000b", "ada@example.com", now.minusSeconds(60));
            insert(
                    c,
                    "INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at)"
                            + " VALUES (?, ?, NULL, ?)",
                    "Ada@example.com",
                    12,
                    at(now.minusSeconds(60)));
            insert(
                    c,
                    "INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at)"
                            + " VALUES (?, ?, NULL, ?)",
                    "ada@example.com",
                    7,
                    at(now.minusSeconds(30)));
        }

        try (Database imported = Database.openEmbedded(dir, SECRET, 2, Sync.FULL);
                Connection c = imported.dataSource().getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM verifications WHERE status = 'pending'"))
                    .as("one pending verification per mailbox")
                    .isEqualTo(1);
            assertThat(count(c, "SELECT consecutive FROM mailbox_failures WHERE mailbox = 'default:ada@example.com'"))
                    .as("the wrong guesses of both spellings")
                    .isEqualTo(19);
        }
    }

    @Test
    void aSecondStartDoesNotImportAgainAndAnInterruptedImportIsRedone() throws Exception {
        Transactions h2 = new PooledTransactions(oldH2(derivedPassword(SECRET), "8"));
        Verification v = started(
                verifier(new JdbcVerificationStore(h2, new JdbcOutbox(h2))).start(StartRequest.of("ada@example.com")));
        // A start killed half way through an import leaves its partial copy behind.
        Files.writeString(dir.resolve(Database.EMBEDDED_FILE + ".importing"), "half a copy");

        try (Database first = Database.openEmbedded(dir, SECRET, 2, Sync.FULL)) {
            assertThat(first.verifications().find(v.id())).isPresent();
            started(verifier(first.verifications()).start(StartRequest.of("bob@example.com")));
        }
        try (Database second = Database.openEmbedded(dir, SECRET, 2, Sync.FULL);
                Connection c = second.dataSource().getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM verifications")).isEqualTo(2);
        }
        assertThat(dir.resolve(Database.EMBEDDED_FILE + ".importing")).doesNotExist();
    }

    @Test
    void anH2FileOfAnotherSecretIsNamedAsSuchAndLeftAsItWas() {
        oldH2(derivedPassword(secret('b')), "8");

        assertThatThrownBy(() -> Database.openEmbedded(dir, SECRET, 2, Sync.FULL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("created under another secret");
        assertThat(dir.resolve("otpgate.mv.db")).exists();
        assertThat(dir.resolve(Database.EMBEDDED_FILE)).doesNotExist();
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
