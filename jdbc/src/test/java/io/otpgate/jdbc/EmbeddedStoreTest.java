package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.StoreUnavailableException;
import io.otpgate.core.verification.StartResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded SQLite store's own guarantees, attacked from the outside: how the file is set up,
 * that nothing listens, that two processes share it, and that the one writer's group commit keeps
 * each caller's outcome its own.
 */
class EmbeddedStoreTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(Database.EMBEDDED_FILE);
    }

    private static long pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String pragmaText(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theFileIsWalIncrementalAndOwnerOnlyAndSyncsAsConfigured() throws Exception {
        try (Database db = Database.openSqlite(file(), Sync.FULL, 2);
                Connection c = db.dataSource().getConnection()) {
            db.apiKeys().countActive(); // a read, so the WAL files exist
            assertThat(pragmaText(c, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(c, "synchronous")).as("FULL").isEqualTo(2);
            assertThat(pragma(c, "foreign_keys")).isEqualTo(1);
            assertThat(pragma(c, "auto_vacuum")).as("INCREMENTAL").isEqualTo(2);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path f = dir.resolve(Database.EMBEDDED_FILE + suffix);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.getFileName().toString())
                        .isEqualTo("rw-------");
            }
        }
        try (Database db = Database.openSqlite(file(), Sync.NORMAL, 2);
                Connection c = db.dataSource().getConnection()) {
            assertThat(pragma(c, "synchronous")).as("NORMAL").isEqualTo(1);
        }
    }

    /** An empty file made beforehand under a 022 umask (`touch otpgate.db`) is tightened too. */
    @Test
    void anEmptyFileMadeBeforehandBecomesOwnerOnly() throws Exception {
        Files.createFile(file(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (Database db = Database.openSqlite(file(), Sync.FULL, 2)) {
            db.apiKeys().countActive();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
                .isEqualTo("rw-------");
    }

    /** A clean close folds the WAL back into the file: a stopped server leaves one file to copy. */
    @Test
    void aCleanCloseLeavesNoWal() throws Exception {
        try (Database db = Database.openSqlite(file(), Sync.FULL, 2)) {
            for (int i = 0; i < 50; i++) {
                EngineFixture.startOn(db, "user" + i + "@example.com");
            }
            assertThat(Files.size(dir.resolve(Database.EMBEDDED_FILE + "-wal"))).isPositive();
        }
        Path wal = dir.resolve(Database.EMBEDDED_FILE + "-wal");
        assertThat(Files.notExists(wal) || Files.size(wal) == 0)
                .as("WAL after close")
                .isTrue();
    }

    /**
     * The H2 store opened a TCP listener so that a second process could share its file; SQLite's
     * own file locking needs none. Counted from /proc: this JVM's listening sockets.
     */
    @Test
    void sharingTheFileOpensNoListener() throws Exception {
        Set<String> before = listeningSockets();
        try (Database server = Database.openSqlite(file(), Sync.FULL, 2);
                Database cli = Database.openSqlite(file(), Sync.FULL, 2)) {
            EngineFixture.startOn(server, "ada@example.com");
            EngineFixture.startOn(cli, "bob@example.com");
            assertThat(listeningSockets()).isEqualTo(before);
        }
    }

    /** Inodes of the TCP sockets this process listens on, from /proc/net/tcp{,6} and /proc/self/fd. */
    private static Set<String> listeningSockets() throws Exception {
        Set<String> mine = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        mine.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        Set<String> listening = new HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && mine.contains(f[9])) { // 0A: LISTEN
                    listening.add(f[9]);
                }
            }
        }
        return listening;
    }

    /** Two writers on one file, as two processes: both commit, and each reads what the other wrote. */
    @Test
    void twoProcessesWriteOneFileAtOnceAndSeeEachOthersCommits() throws Exception {
        int each = 150;
        try (Database a = Database.openSqlite(file(), Sync.FULL, 2);
                Database b = Database.openSqlite(file(), Sync.FULL, 2)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<StartResult>> starts = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String n = Integer.toString(i);
                    starts.add(pool.submit(() -> EngineFixture.startOn(a, "a" + n + "@example.com")));
                    starts.add(pool.submit(() -> EngineFixture.startOn(b, "b" + n + "@example.com")));
                }
                for (Future<StartResult> start : starts) {
                    assertThat(start.get(60, TimeUnit.SECONDS)).isInstanceOf(StartResult.Started.class);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.stats().backlog(java.time.Instant.now()).depth()).isEqualTo(2L * each);
            assertThat(b.stats().backlog(java.time.Instant.now()).depth()).isEqualTo(2L * each);
            assertThat(a.groupCommits().orElseThrow().writes()
                            + b.groupCommits().orElseThrow().writes())
                    .isGreaterThanOrEqualTo(2L * each);
        }
    }

    // ------------------------------------------------------------------ the writer itself

    /** A writer of its own on a scratch table, to drive groups exactly. */
    private GroupCommit writer(SqliteFile sqlite) throws SQLException {
        sqlite.prepare();
        try (Connection c = sqlite.connect(false);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (x TEXT PRIMARY KEY)");
        }
        return new GroupCommit(sqlite.connect(false), sqlite.dataSource(true), "test");
    }

    private static Set<String> rows(GroupCommit writer) {
        return writer.read(c -> {
            Set<String> rows = new HashSet<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT x FROM t")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        });
    }

    private static Transactions.Work<String> insert(String x) {
        return c -> {
            Sql.update(c, "INSERT INTO t (x) VALUES (?)", x);
            return x;
        };
    }

    /**
     * Callers waiting while the writer is busy go into one transaction; the one whose work fails and
     * the one that rolls back lose only their own rows, the others in the same commit keep theirs.
     */
    @Test
    void aGroupCommitsTogetherAndEachCallersFailureStaysItsOwn() throws Exception {
        try (GroupCommit writer = writer(new SqliteFile(file(), Sync.FULL))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(5);
            try {
                Future<String> blocker = callers.submit(() -> writer.write(c -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "blocker";
                }));
                holding.await();
                Future<String> kept1 = callers.submit(() -> writer.write(insert("kept-1")));
                Future<String> failed = callers.submit(() -> writer.write(c -> {
                    insert("failed").run(c);
                    throw new IllegalArgumentException("this caller's own failure");
                }));
                Future<String> rolledBack = callers.submit(() -> writer.write(c -> {
                    insert("rolled-back").run(c);
                    return Transactions.rollBack("undone");
                }));
                Future<String> kept2 = callers.submit(() -> writer.write(insert("kept-2")));
                // Everyone is queued behind the blocker before it lets go.
                while (writer.queued() < 4) {
                    Thread.onSpinWait();
                }
                long commitsBefore = writer.stats().commits();
                release.countDown();

                assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("blocker");
                assertThat(kept1.get(10, TimeUnit.SECONDS)).isEqualTo("kept-1");
                assertThat(kept2.get(10, TimeUnit.SECONDS)).isEqualTo("kept-2");
                assertThat(rolledBack.get(10, TimeUnit.SECONDS)).isEqualTo("undone");
                assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalArgumentException.class);
                assertThat(rows(writer)).containsExactlyInAnyOrder("kept-1", "kept-2");
                // The four queued behind the blocker share a commit (with the blocker too, when it
                // ended within the group's time budget).
                assertThat(writer.stats().commits() - commitsBefore).isBetween(1L, 2L);
                assertThat(writer.stats().largestGroup()).isGreaterThanOrEqualTo(4);
            } finally {
                release.countDown();
                callers.shutdownNow();
            }
        }
    }

    /** The read path cannot write: a mistake there fails loudly and changes nothing. */
    @Test
    void theReadPathRefusesToWrite() throws Exception {
        try (GroupCommit writer = writer(new SqliteFile(file(), Sync.FULL))) {
            assertThatThrownBy(() -> writer.read(insert("sneaked")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("readonly");
            assertThat(rows(writer)).isEmpty();
        }
    }

    /**
     * Another process holding the file's write lock past the busy timeout: the write waiting, and
     * every write queued behind it, is answered "unavailable" after one timeout, and nothing of
     * theirs is stored; once the lock is free, writes work again.
     */
    @Test
    void aFileHeldByAnotherProcessAnswersUnavailableOnceAndRecovers() throws Exception {
        SqliteFile sqlite = new SqliteFile(file(), Sync.FULL);
        try (GroupCommit writer = writer(sqlite);
                Connection other = sqlite.connect(false);
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            ExecutorService callers = Executors.newFixedThreadPool(3);
            try {
                List<Future<String>> writes = new ArrayList<>();
                for (String x : List.of("w1", "w2", "w3")) {
                    writes.add(callers.submit(() -> writer.write(insert(x))));
                }
                for (Future<String> write : writes) {
                    assertThatThrownBy(() -> write.get(3 * SqliteFile.BUSY_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                            .hasCauseInstanceOf(StoreUnavailableException.class);
                }
            } finally {
                callers.shutdownNow();
            }
            s.execute("ROLLBACK");
            assertThat(rows(writer)).isEmpty();
            assertThat(writer.write(insert("after"))).isEqualTo("after");
            assertThat(rows(writer)).containsExactly("after");
        }
    }

    /** Closing finishes what was handed over; a write after the close is refused, not left hanging. */
    @Test
    void closeFinishesQueuedWritesAndRefusesLaterOnes() throws Exception {
        SqliteFile sqlite = new SqliteFile(file(), Sync.FULL);
        GroupCommit writer = writer(sqlite);
        ExecutorService callers = Executors.newFixedThreadPool(20);
        List<Future<String>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String x = "row-" + i;
            writes.add(callers.submit(() -> writer.write(insert(x))));
        }
        while (writer.queued() == 0 && writer.stats().writes() == 0) {
            Thread.onSpinWait();
        }
        writer.close();
        int stored = 0;
        for (Future<String> write : writes) {
            try {
                write.get(10, TimeUnit.SECONDS);
                stored++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreUnavailableException.class);
            }
        }
        callers.shutdownNow();
        assertThatThrownBy(() -> writer.write(insert("late"))).isInstanceOf(StoreUnavailableException.class);
        try (GroupCommit reopened = writer(sqlite)) {
            assertThat(rows(reopened)).hasSize(stored).doesNotContain("late");
        }
    }
}
