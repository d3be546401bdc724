package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.cli.config.SecretFile;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.Sync;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCommandTest {

    @TempDir
    Path dir;

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Conversation run(String... args) {
        return run(Map.of(), args);
    }

    private Conversation run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("OTPGATE_DATA_DIR", dataDir().toString());
        return new Conversation(env, dir, args);
    }

    /** A data dir whose database holds {@code count} verifications, closed again; their ids. */
    private List<String> dataDirWith(int count) {
        List<String> ids = new ArrayList<>();
        try (Database db = DataDirDatabase.open(dataDir(), 1)) {
            Verifier verifier = verifier(db);
            for (int i = 0; i < count; i++) {
                StartResult started = verifier.start(StartRequest.of("before" + i + "@example.com"));
                ids.add(((StartResult.Started) started).verification().id().value());
            }
        }
        return ids;
    }

    private Verifier verifier(Database db) {
        return Verifier.builder()
                .store(db.verifications())
                .secret(SecretFile.resolve(Optional.empty(), dataDir(), new SecureRandom()))
                .build();
    }

    @Test
    void aBackupTakenWhileAnotherProcessWritesHoldsEveryVerificationCommittedBeforeIt() throws Exception {
        List<String> committed = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (Database server = DataDirDatabase.open(dataDir(), 2)) {
            Verifier verifier = verifier(server);
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                for (int i = 0; !stop.get(); i++) {
                    StartResult result = verifier.start(StartRequest.of("user" + i + "@example.com"));
                    committed.add(
                            ((StartResult.Started) result).verification().id().value());
                }
            });
            List<String> beforeBackup;
            Conversation backup;
            try {
                awaitAtLeast(committed, 200);
                beforeBackup = List.copyOf(committed);

                backup = run("backup", "copy.db");

                assertThat(backup.exitCode()).as(backup.stderr()).isZero();
                awaitAtLeast(committed, committed.size() + 20);
            } finally {
                stop.set(true);
            }
            writes.get(30, TimeUnit.SECONDS); // rethrows what the writer met, should the backup have disturbed it
            Path copy = dir.resolve("copy.db");
            assertThat(backup.stdout())
                    .contains(copy.toString(), String.format(Locale.ROOT, "%,d bytes", Files.size(copy)));
            try (Database restored = Database.openSqlite(copy, Sync.FULL, 1);
                    Connection c = restored.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                assertThat(single(s, "PRAGMA integrity_check")).isEqualTo("ok");
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT id FROM verifications")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                assertThat(ids).containsAll(beforeBackup);
                assertThat(committed).containsAll(ids);
                // One moment of the file: every verification with the email queued in its transaction.
                assertThat(single(
                                s,
                                "SELECT count(*) FROM verifications v"
                                        + " WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.verification_id = v.id)"))
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void theCopyIsReadableByItsOwnerOnlyAndStandsAloneWithoutWalFiles() throws Exception {
        dataDirWith(3);

        Conversation backup = run("backup", "copy.db");

        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        Path copy = dir.resolve("copy.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
                .isEqualTo("rw-------");
        assertThat(siblings()).containsExactlyInAnyOrder("copy.db", "data");
        try (Database restored = Database.openSqlite(copy, Sync.FULL, 1);
                Connection c = restored.dataSource().getConnection();
                Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM verifications")).isEqualTo("3");
            // The retention purge can still hand freed pages back to the file system after a restore.
            assertThat(single(s, "PRAGMA auto_vacuum")).isEqualTo("2");
        }
    }

    @Test
    void theReadmesRestoreStepsGiveADataDirTheCommandsOpen() throws Exception {
        List<String> ids = dataDirWith(2);
        assertThat(run("backup", "copy.db").exitCode()).isZero();

        // A new machine: the kept secret, and the backup as the database.
        Path restored = Files.createDirectories(dir.resolve("restored"));
        Files.copy(dataDir().resolve("secret"), restored.resolve("secret"));
        Files.copy(dir.resolve("copy.db"), restored.resolve(Database.EMBEDDED_FILE));
        Conversation status =
                new Conversation(Map.of("OTPGATE_DATA_DIR", restored.toString()), dir, "status", ids.get(1));

        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains(ids.get(1), "before1@example.com", "status:              pending");
    }

    @Test
    void anExistingFileIsRefusedWithoutForceAndLeftAsItWas() throws Exception {
        dataDirWith(1);
        Path existing = Files.writeString(dir.resolve("copy.db"), "last week's backup");

        Conversation backup = run("backup", "copy.db");

        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.stderr()).contains(existing.toString(), "--force");
        assertThat(Files.readString(existing)).isEqualTo("last week's backup");
        assertThat(siblings()).containsExactlyInAnyOrder("copy.db", "data");
    }

    @Test
    void forceReplacesAnExistingFileWithAPrivateCopy() throws Exception {
        dataDirWith(2);
        Path existing = Files.writeString(dir.resolve("copy.db"), "last week's backup");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));

        Conversation backup = run("backup", "--force", "copy.db");

        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)))
                .isEqualTo("rw-------");
        try (Database restored = Database.openSqlite(existing, Sync.FULL, 1);
                Connection c = restored.dataSource().getConnection();
                Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM verifications")).isEqualTo("2");
        }
    }

    @Test
    void theLiveDatabaseAndTheDataDirsFilesAreNeverReplacedEvenWithForce() throws Exception {
        dataDirWith(2);
        Files.createSymbolicLink(dir.resolve("alias"), dataDir());
        Path live = dataDir().resolve(Database.EMBEDDED_FILE);
        byte[] before = Files.readAllBytes(live);
        byte[] secret = Files.readAllBytes(dataDir().resolve("secret"));

        for (String target : List.of("data/otpgate.db", "alias/otpgate.db", "data/otpgate.db-wal", "data/secret")) {
            Conversation backup = run("backup", "--force", target);

            assertThat(backup.exitCode()).as(target).isEqualTo(2);
            assertThat(backup.stderr()).contains("data dir");
        }
        assertThat(Files.readAllBytes(live)).isEqualTo(before);
        assertThat(Files.readAllBytes(dataDir().resolve("secret"))).isEqualTo(secret);
    }

    @Test
    void onPostgresqlItRefusesInOneLineNamingPgDump() throws Exception {
        Conversation backup =
                run(Map.of("OTPGATE_DB_URL", "jdbc:postgresql://127.0.0.1:9/otpgate"), "backup", "copy.db");

        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.stderr().lines()).hasSize(1).first().asString().contains("pg_dump");
        assertThat(siblings()).isEmpty();
    }

    @Test
    void aDataDirWithoutADatabaseIsRefusedAndNotCreated() throws Exception {
        Conversation backup = run("backup", "copy.db");

        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.stderr()).contains("no database");
        assertThat(siblings()).isEmpty();
    }

    @Test
    void aDataDirThatLostItsSecretIsRefusedAsByEveryCommand() throws Exception {
        dataDirWith(1);
        Files.delete(dataDir().resolve("secret"));

        Conversation backup = run("backup", "copy.db");

        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.stderr()).contains("OTPGATE_DATA_DIR", "no secret");
        assertThat(siblings()).containsExactly("data");
    }

    @Test
    void aBackupThatFailsHalfWayLeavesNoFileBehind() throws Exception {
        dataDirWith(50);
        // Garbage over the page of the last table the copy reaches: it breaks off there, after
        // writing every table before it.
        Path live = dataDir().resolve(Database.EMBEDDED_FILE);
        long page;
        long pageSize;
        try (Database db = DataDirDatabase.open(dataDir(), 1);
                Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            page = Long.parseLong(single(s, "SELECT rootpage FROM sqlite_master WHERE name = 'idempotency_keys'"));
            pageSize = Long.parseLong(single(s, "PRAGMA page_size"));
        }
        try (RandomAccessFile file = new RandomAccessFile(live.toFile(), "rw")) {
            byte[] garbage = new byte[(int) pageSize];
            Arrays.fill(garbage, (byte) 0x5a);
            file.seek((page - 1) * pageSize);
            file.write(garbage);
        }

        Conversation backup = run("backup", "copy.db");

        assertThat(backup.exitCode()).as(backup.stdout()).isEqualTo(1);
        assertThat(backup.stderr()).contains("failed, nothing was written", "malformed");
        assertThat(siblings()).containsExactly("data");
    }

    private List<String> siblings() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void awaitAtLeast(List<String> committed, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (committed.size() < count) {
            assertThat(System.nanoTime())
                    .as("writes stalled at " + committed.size())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
