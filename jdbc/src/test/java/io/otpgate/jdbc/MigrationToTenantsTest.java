package io.otpgate.jdbc;

import static io.otpgate.jdbc.OldSchemaRows.at;
import static io.otpgate.jdbc.OldSchemaRows.insert;
import static io.otpgate.jdbc.OldSchemaRows.verification;
import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the schema before tenants (V1..V4, as main wrote it), holding rows that differ
 * only by the letter case of the address, upgraded by V5: nothing an attacker spread over case
 * variants survives as a fresh budget. Run on each database by {@code MigrationToTenantsOn…Test}.
 */
abstract class MigrationToTenantsTest {

    private static final String OLDER = "ver_00000000000000000000000001";
    private static final String NEWER = "ver_00000000000000000000000002";
    /** The fixture's clock. */
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    MigrationToTenantsTest(DatabaseKind kind) {
        this.kind = kind;
    }

    private TestDatabase beforeTenants() throws SQLException {
        TestDatabase db = kind.fresh(dir);
        Flyway.configure()
                .dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            verification(c, OLDER, "Ada@example.com", NOW.minusSeconds(120));
            verification(c, NEWER, "ada@example.com", NOW.minusSeconds(60));
            insert(
                    c,
                    "INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, ?)",
                    "recipient:Ada@example.com",
                    at(NOW.minusSeconds(600)),
                    6);
            insert(
                    c,
                    "INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, ?)",
                    "recipient:ada@example.com",
                    at(NOW.minusSeconds(300)),
                    5);
            insert(
                    c,
                    "INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, ?)",
                    "ip:203.0.113.9",
                    at(NOW.minusSeconds(300)),
                    4);
            insert(
                    c,
                    "INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at)"
                            + " VALUES (?, ?, NULL, ?)",
                    "Ada@example.com",
                    12,
                    at(NOW.minusSeconds(60)));
            insert(
                    c,
                    "INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at)"
                            + " VALUES (?, ?, NULL, ?)",
                    "ada@example.com",
                    7,
                    at(NOW.minusSeconds(30)));
            insert(
                    c,
                    "INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)",
                    "0123456789ab",
                    "ci",
                    new byte[32],
                    at(NOW.minusSeconds(3600)));
        }
        return db;
    }

    @Test
    void caseVariantsMergeIntoOneMailboxOfTheDefaultTenant() throws SQLException {
        TestDatabase db = beforeTenants();

        try (EngineFixture upgraded = new EngineFixture(db)) {
            assertThat(upgraded.count("SELECT COUNT(*) FROM verifications WHERE tenant = 'default'"))
                    .isEqualTo(2);
            assertThat(upgraded.verifier
                            .find(Tenant.DEFAULT, new io.otpgate.core.id.VerificationId(OLDER))
                            .orElseThrow()
                            .status()
                            .wireName())
                    .as("of two pending case variants the newest stays pending")
                    .isEqualTo("canceled");
            assertThat(upgraded.count(
                            "SELECT COUNT(*) FROM outbox WHERE verification_id = ? AND status = 'canceled'", OLDER))
                    .isEqualTo(1);
            assertThat(upgraded.count(
                            "SELECT hits FROM rate_buckets WHERE bucket = ?", "recipient:default:ada@example.com"))
                    .isEqualTo(11);
            assertThat(upgraded.count(
                            "SELECT hits FROM rate_buckets WHERE bucket = ?", "recipient_all:ada@example.com"))
                    .isEqualTo(11);
            assertThat(upgraded.count("SELECT hits FROM rate_buckets WHERE bucket = ?", "ip:203.0.113.9"))
                    .isEqualTo(4);
            assertThat(upgraded.database.apiKeys().list())
                    .singleElement()
                    .satisfies(key -> assertThat(key.tenant()).isEqualTo(Tenant.DEFAULT));

            assertThat(upgraded.verifier.start(StartRequest.of("ADA@example.com")))
                    .as("the merged hourly count (6 + 5) is over the limit of 10")
                    .isInstanceOf(StartResult.RateLimited.class);
            CheckResult wrong = upgraded.verifier.check(Tenant.DEFAULT, "ADA@EXAMPLE.COM", null, "000000");
            assertThat(wrong)
                    .as("check-by-email in another case finds the one pending verification")
                    .isInstanceOfSatisfying(
                            CheckResult.Incorrect.class,
                            r -> assertThat(r.verification().id().value()).isEqualTo(NEWER));
            assertThat(upgraded.database
                            .verifications()
                            .lockedUntil(
                                    Tenant.DEFAULT,
                                    MailboxKey.of(new EmailAddress("ada@example.com")),
                                    upgraded.clock.instant()))
                    .as("12 + 7 merged wrong codes and this one reach the limit of 20")
                    .isPresent();
        }
    }

    @Test
    void theUpgradedSchemaAllowsOnePendingVerificationPerTenantMailboxAndPurpose() throws SQLException {
        TestDatabase db = beforeTenants();

        try (EngineFixture upgraded = new EngineFixture(db)) {
            upgraded.clock.advance(java.time.Duration.ofHours(2));
            upgraded.start("aDa@example.com");
            upgraded.verifier.start(StartRequest.of("ADA@example.com").withTenant(Tenant.PAGES));

            assertThat(upgraded.count(
                            "SELECT COUNT(*) FROM verifications WHERE status = 'pending' AND tenant = 'default'"))
                    .isEqualTo(1);
            assertThat(upgraded.count("SELECT COUNT(*) FROM verifications WHERE status = 'pending'"))
                    .as("one in default, one in pages")
                    .isEqualTo(2);
        }
    }
}
