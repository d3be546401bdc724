package io.otpgate.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * One SQLite file and how OTPGate connects to it. Every connection gets the same settings, each for
 * a reason:
 *
 * <ul>
 *   <li>WAL: readers never wait for the writer, and a commit appends to one file.
 *   <li>{@code synchronous} from {@link Sync}: {@code FULL} fsyncs the WAL at every commit.
 *   <li>{@code busy_timeout}: another process on the same file (the CLI next to a server) holds the
 *       write lock only for a short group commit; waiting {@link #BUSY_TIMEOUT_MS} beats failing.
 *   <li>foreign keys on: an email's row goes with its verification ({@code ON DELETE CASCADE}).
 *   <li>{@code journal_size_limit}: a WAL that grew during a burst is cut back after a checkpoint
 *       instead of keeping its peak size on disk.
 *   <li>incremental auto-vacuum, chosen when the file is created: pages freed by the retention purge
 *       go back to the file system ({@code PRAGMA incremental_vacuum}) without a full VACUUM.
 * </ul>
 */
final class SqliteFile {

    static final int BUSY_TIMEOUT_MS = 5_000;
    private static final int JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

    private final Path file;
    private final Sync sync;

    SqliteFile(Path file, Sync sync) {
        this.file = file;
        this.sync = sync;
    }

    Path file() {
        return file;
    }

    /**
     * A new file gets incremental auto-vacuum before its first table (SQLite fixes that choice then),
     * and every file is switched to WAL, which SQLite keeps in the file from then on.
     */
    void prepare() {
        createOwnerOnly();
        try (Connection c = connect(false);
                Statement statement = c.createStatement()) {
            boolean empty;
            try (ResultSet rs = statement.executeQuery("PRAGMA page_count")) {
                empty = rs.next() && rs.getLong(1) == 0;
            }
            if (empty) {
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
            }
            statement.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /**
     * A new or empty file is made readable by its owner only before SQLite writes anything to it (it holds
     * key hashes and sealed codes; SQLite gives its WAL and shared-memory files the same mode). A
     * WAL or shared-memory file left beside a missing or empty database belongs to a database that
     * is gone: SQLite would replay it into the new one, so it goes.
     */
    private void createOwnerOnly() {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                return;
            }
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
            if (Files.notExists(file)) {
                Files.createFile(file);
            }
            // Also an empty file made beforehand (`touch`, a provisioning tool) under a 022 umask:
            // it holds nothing yet, so tightening it loses nothing and nobody else can read it.
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its own permissions apply.
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + file + ": " + e, e);
        }
    }

    Connection connect(boolean readOnly) throws SQLException {
        return config(readOnly).createConnection(url());
    }

    SQLiteDataSource dataSource(boolean readOnly) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config(readOnly));
        dataSource.setUrl(url());
        return dataSource;
    }

    private String url() {
        return "jdbc:sqlite:" + file;
    }

    private SQLiteConfig config(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(
                sync == Sync.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setJournalSizeLimit(JOURNAL_SIZE_LIMIT);
        if (readOnly) {
            // A write through the read path is a bug: SQLite refuses it instead of racing the writer.
            config.setReadOnly(true);
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        return config;
    }
}
