package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.cli.ApiKeyBootstrap.Outcome;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.apikey.ApiKeys;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.Sync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyBootstrapTest {

    private static final String ENV_KEY = "an-environment-key-of-at-least-32-characters";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private Path dataDir;
    private Database database;

    @BeforeEach
    void open() {
        dataDir = dir.resolve("data");
        database = Database.openSqlite(dir.resolve("db").resolve(Database.EMBEDDED_FILE), Sync.FULL, 16);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ApiKeys keys(String... environment) {
        return ApiKeys.builder()
                .store(database.apiKeys())
                .environmentKeys(List.of(environment))
                .clock(clock)
                .build();
    }

    @Test
    void theFirstStartGeneratesOneKeyIntoAFileOnlyTheOwnerCanRead() throws Exception {
        ApiKeys keys = keys();

        Outcome outcome = ApiKeyBootstrap.ensureKey(keys, dataDir);

        Path file = dataDir.resolve("api-key");
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Generated.class, generated -> {
            assertThat(generated.file()).isEqualTo(file);
            assertThat(generated.key().name()).isEqualTo("generated at first start");
        });
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        ApiKey authenticated = keys.authenticate(Files.readString(file).strip()).orElseThrow();
        assertThat(authenticated.id())
                .isEqualTo(((Outcome.Generated) outcome).key().id());
        assertThat(keys.list()).hasSize(1);
        assertThat(outcome.toString()).doesNotContain(Files.readString(file).strip());
    }

    @Test
    void laterStartsDoNothingNew() throws Exception {
        ApiKeyBootstrap.ensureKey(keys(), dataDir);
        String first = Files.readString(dataDir.resolve("api-key"));

        Outcome second = ApiKeyBootstrap.ensureKey(keys(), dataDir);

        assertThat(second).isInstanceOf(Outcome.KeysExist.class);
        assertThat(Files.readString(dataDir.resolve("api-key"))).isEqualTo(first);
        assertThat(keys().list()).hasSize(1);
    }

    @Test
    void anEnvironmentKeyMeansNothingIsGenerated() {
        Outcome outcome = ApiKeyBootstrap.ensureKey(keys(ENV_KEY), dataDir);

        assertThat(outcome).isInstanceOf(Outcome.KeysExist.class);
        assertThat(Files.exists(dataDir.resolve("api-key"))).isFalse();
        assertThat(database.apiKeys().list()).isEmpty();
    }

    @Test
    void aKeyCreatedByTheOperatorMeansNothingIsGenerated() {
        keys().create("ci", Tenant.DEFAULT);

        Outcome outcome = ApiKeyBootstrap.ensureKey(keys(), dataDir);

        assertThat(outcome).isInstanceOf(Outcome.KeysExist.class);
        assertThat(Files.exists(dataDir.resolve("api-key"))).isFalse();
        assertThat(keys().list()).hasSize(1);
    }

    @Test
    void aRevokedGeneratedKeyStaysRevokedAcrossRestarts() {
        Outcome.Generated generated = (Outcome.Generated) ApiKeyBootstrap.ensureKey(keys(), dataDir);
        keys().revoke(generated.key().id());

        Outcome restart = ApiKeyBootstrap.ensureKey(keys(), dataDir);

        assertThat(restart).isEqualTo(new Outcome.NoActiveKey(dataDir.resolve("api-key")));
        assertThat(keys().anyActive()).isFalse();
        assertThat(keys().list()).hasSize(1);
    }

    @Test
    void concurrentFirstStartsLeaveExactlyOneActiveKeyAndItIsTheOneInTheFile() throws Exception {
        int processes = 8;
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                ApiKeys keys = keys();
                futures.add(pool.submit(() -> {
                    go.await();
                    return ApiKeyBootstrap.ensureKey(keys, dataDir);
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }

            assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Generated).hasSize(1);
            assertThat(keys().list()).filteredOn(ApiKey::active).hasSize(1);
            assertThat(keys().authenticate(
                                    Files.readString(dataDir.resolve("api-key")).strip()))
                    .isPresent();
            assertThat(Files.list(dataDir).map(p -> p.getFileName().toString())).containsExactly("api-key");
        } finally {
            pool.shutdownNow();
        }
    }
}
