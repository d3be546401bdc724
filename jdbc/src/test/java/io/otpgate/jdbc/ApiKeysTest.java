package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.apikey.ApiKeys;
import io.otpgate.core.apikey.CreatedApiKey;
import io.otpgate.core.apikey.RevokeResult;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored API keys on a real database; run on each one by {@code ApiKeysOn…Test}. */
abstract class ApiKeysTest {

    private static final String ENV_KEY = "an-environment-key-of-at-least-32-characters";

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private Database database;
    private ApiKeys keys;

    ApiKeysTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void open() {
        database = kind.fresh(dir).open(4);
        keys = apiKeys(List.of());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ApiKeys apiKeys(List<String> environment) {
        return ApiKeys.builder()
                .store(database.apiKeys())
                .environmentKeys(environment)
                .clock(clock)
                .build();
    }

    @Test
    void aCreatedKeyAuthenticates() {
        CreatedApiKey created = keys.create("ci", Tenant.DEFAULT);

        assertThat(keys.authenticate(created.plaintext().reveal())).hasValueSatisfying(key -> {
            assertThat(key.id()).isEqualTo(created.key().id());
            assertThat(key.name()).isEqualTo("ci");
            assertThat(key.createdAt()).isEqualTo(clock.instant());
            assertThat(key.source()).isEqualTo(ApiKey.Source.STORED);
            assertThat(key.active()).isTrue();
        });
    }

    @Test
    void theRightIdWithAWrongSecretFails() {
        String key = keys.create("ci", Tenant.DEFAULT).plaintext().reveal();
        String otherSecret =
                keys.create("other", Tenant.DEFAULT).plaintext().reveal().substring(18);

        assertThat(keys.authenticate(key.substring(0, 18) + otherSecret)).isEmpty();
        assertThat(keys.authenticate(key.substring(0, 49) + (key.charAt(49) == '0' ? '1' : '0')))
                .isEmpty();
    }

    @Test
    void aWellShapedKeyWithAnUnknownIdFails() {
        assertThat(keys.authenticate("otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz"))
                .isEmpty();
    }

    @Test
    void malformedOrAlteredKeysFail() {
        String key = keys.create("ci", Tenant.DEFAULT).plaintext().reveal();

        for (String presented : List.of(
                "",
                key.toUpperCase(),
                " " + key,
                key + " ",
                key + "0",
                key.substring(1),
                "Bearer " + key,
                key.replace('_', '-'),
                "otpk_" + key.substring(5, 17) + "_' OR '1'='1")) {
            assertThat(keys.authenticate(presented)).as(presented).isEmpty();
        }
    }

    @Test
    void aRevokedKeyNoLongerAuthenticatesAndRevokingAgainSaysSo() {
        CreatedApiKey created = keys.create("ci", Tenant.DEFAULT);
        clock.advance(Duration.ofMinutes(5));

        RevokeResult first = keys.revoke(created.key().id());
        RevokeResult second = keys.revoke(created.key().id());

        assertThat(first)
                .isInstanceOfSatisfying(
                        RevokeResult.Revoked.class,
                        r -> assertThat(r.key().revokedAt()).contains(clock.instant()));
        assertThat(keys.authenticate(created.plaintext().reveal())).isEmpty();
        assertThat(second).isInstanceOf(RevokeResult.AlreadyRevoked.class);
    }

    @Test
    void revokingAnUnknownIdFindsNothing() {
        assertThat(keys.revoke("0123456789ab")).isInstanceOf(RevokeResult.NotFound.class);
    }

    @Test
    void ofConcurrentRevocationsExactlyOneRevokes() throws Exception {
        String id = keys.create("ci", Tenant.DEFAULT).key().id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RevokeResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> keys.revoke(id)));
            }
            List<RevokeResult> outcomes = new ArrayList<>();
            for (Future<RevokeResult> result : results) {
                outcomes.add(result.get());
            }

            assertThat(outcomes)
                    .filteredOn(r -> r instanceof RevokeResult.Revoked)
                    .hasSize(1);
            assertThat(outcomes)
                    .filteredOn(r -> r instanceof RevokeResult.AlreadyRevoked)
                    .hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theListShowsEveryKeyButNeverASecretOrHash() throws Exception {
        CreatedApiKey first = keys.create("first", Tenant.DEFAULT);
        clock.advance(Duration.ofSeconds(1));
        CreatedApiKey second = keys.create("second", Tenant.DEFAULT);
        keys.revoke(first.key().id());

        List<ApiKey> listed = apiKeys(List.of(ENV_KEY)).list();

        assertThat(listed).extracting(ApiKey::name).containsExactly("first", "second", "environment key 1");
        assertThat(listed).extracting(ApiKey::active).containsExactly(false, true, true);
        String shown = listed.toString();
        for (CreatedApiKey created : List.of(first, second)) {
            String text = created.plaintext().reveal();
            assertThat(shown).doesNotContain(text.substring(18)).doesNotContain(hex(sha256(text)));
        }
        assertThat(shown).doesNotContain(ENV_KEY).doesNotContain(hex(sha256(ENV_KEY)));
    }

    @Test
    void theDatabaseHoldsOnlyTheSha256OfTheWholeKey() throws Exception {
        CreatedApiKey created = keys.create("ci", Tenant.DEFAULT);
        String text = created.plaintext().reveal();

        try (Connection c = database.dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT * FROM api_keys")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes("key_hash")).isEqualTo(sha256(text));
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                String value = rs.getString(column);
                assertThat(value == null ? "" : value).doesNotContain(text.substring(18));
            }
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aReadOnlyKeyKeepsItsScopeAndIsActiveUntilRevoked() {
        CreatedApiKey created = keys.create("dashboard", new Tenant("acme"), ApiKey.Scope.READ);
        String id = created.key().id();

        assertThat(keys.authenticate(created.plaintext().reveal()).orElseThrow().scope())
                .isEqualTo(ApiKey.Scope.READ);
        assertThat(keys.list())
                .singleElement()
                .satisfies(k -> assertThat(k.scope()).isEqualTo(ApiKey.Scope.READ));
        assertThat(keys.active(id)).isTrue();
        keys.revoke(id);
        assertThat(keys.active(id)).isFalse();
        assertThat(keys.active("0123456789ab")).as("unknown").isFalse();
        ApiKeys withEnvironment = apiKeys(List.of(ENV_KEY));
        assertThat(withEnvironment.active(
                        withEnvironment.authenticate(ENV_KEY).orElseThrow().id()))
                .isTrue();
    }

    @Test
    void environmentKeysAuthenticateAreListedAndAreNotStored() {
        ApiKeys withEnvironment = apiKeys(List.of(ENV_KEY));

        ApiKey key = withEnvironment.authenticate(ENV_KEY).orElseThrow();

        assertThat(key.source()).isEqualTo(ApiKey.Source.ENVIRONMENT);
        assertThat(key.id())
                .isEqualTo(apiKeys(List.of(ENV_KEY))
                        .authenticate(ENV_KEY)
                        .orElseThrow()
                        .id());
        assertThat(withEnvironment.list()).containsExactly(key);
        assertThat(database.apiKeys().countActive()).isZero();
        assertThat(keys.authenticate(ENV_KEY))
                .as("another process without the variable")
                .isEmpty();
    }

    @Test
    void createIfNoneCreatesTheFirstKeyOnly() {
        assertThat(keys.createIfNone("first start")).isPresent();

        assertThat(keys.createIfNone("second start")).isEmpty();
        assertThat(keys.list()).hasSize(1);
    }

    @Test
    void createIfNoneCreatesNothingWhenAnEnvironmentKeyIsSet() {
        assertThat(apiKeys(List.of(ENV_KEY)).createIfNone("first start")).isEmpty();
        assertThat(database.apiKeys().list()).isEmpty();
    }

    @Test
    void createIfNoneCreatesAgainOnceEveryStoredKeyIsRevoked() {
        String id = keys.createIfNone("first start").orElseThrow().key().id();
        keys.revoke(id);

        assertThat(keys.anyActive()).isFalse();
        assertThat(keys.createIfNone("after revocation")).isPresent();
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
