package io.otpgate.cli.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: the embedded database, the generated secret and the generated API key.
 * Created on first use with mode 700 and its files with mode 600, since together they are
 * everything needed to read and forge codes.
 */
public final class DataDir {

    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    private static final String SETTING = SettingsLoader.PREFIX + "DATA_DIR";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The files that hold secrets in plain text. */
    private static final List<String> SECRETS = List.of(SecretFile.FILE_NAME, "api-key");

    private static final String SETUP_LOCK = "setup.lock";
    private static final Object SETTING_UP = new Object();

    private DataDir() {}

    static void create(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /**
     * Makes sure the directory exists and can be written, so that a bad {@code OTPGATE_DATA_DIR} is
     * one line naming it rather than an error from whichever file is written first.
     *
     * @throws ConfigurationException naming the setting and the cause
     */
    public static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw problem(dir + " is not a directory");
        }
        try {
            create(dir);
        } catch (FileAlreadyExistsException e) {
            throw problem("cannot create " + dir + ": " + e.getFile() + " is not a directory");
        } catch (IOException e) {
            throw problem("cannot create " + dir + " (" + reason(e) + ")");
        }
        if (!Files.isWritable(dir)) {
            throw problem(dir + " is not writable by this user");
        }
        for (String name : SECRETS) {
            warnIfOthersCanRead(dir.resolve(name));
        }
    }

    /**
     * Refuses to create a new, empty database next to the secret or API key of an old one: a
     * deleted or moved database file would otherwise come back empty in silence, while the
     * {@code api-key} file still holds a key that no longer opens anything. {@code init} is the
     * operator saying that starting afresh is meant: the stale key file goes, the secret stays.
     *
     * @param databaseFiles the embedded database's file in {@code dir}, and any older one it imports
     */
    public static void checkDatabaseNotLost(Path dir, List<String> databaseFiles, boolean init, String apiKeyFile) {
        // An empty file is a lost database too: SQLite would silently make a new one in it.
        if (hasDatabase(dir, databaseFiles)) {
            return;
        }
        List<String> leftovers =
                SECRETS.stream().filter(name -> Files.exists(dir.resolve(name))).toList();
        if (leftovers.isEmpty()) {
            return;
        }
        if (!init) {
            throw problem(dir + " has " + String.join(" and ", leftovers) + " but no database " + databaseFiles.get(0)
                    + ": was it deleted or moved? Restore it, or start afresh with an empty database with --init");
        }
        boolean removed;
        try {
            removed = Files.deleteIfExists(dir.resolve(apiKeyFile));
        } catch (IOException e) {
            throw problem("cannot remove the stale " + dir.resolve(apiKeyFile) + " (" + reason(e) + ")");
        }
        log.warn(
                "--init: starting with an empty database in {}{}",
                dir,
                removed ? "; the old api-key file was removed" : "");
    }

    /**
     * Runs {@code step} while holding {@code <dir>/setup.lock}, so that two processes starting on
     * one data dir (serve and verify, say) create its secret and database one after the other and
     * never see one without the other. The monitor keeps two engines of one JVM (tests) apart,
     * which a file lock alone would not.
     */
    public static <T> T whileSettingUp(Path dir, Supplier<T> step) {
        synchronized (SETTING_UP) {
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(SETUP_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return step.get();
            } catch (IOException e) {
                throw problem("cannot lock " + dir.resolve(SETUP_LOCK) + " (" + reason(e) + ")");
            }
        }
    }

    /**
     * Refuses to generate a new secret next to a database made under the old one: every stored code
     * hash and the database's password come from the secret, so a fresh one would only lock the
     * operator out with a misleading error, and the lost secret must be restored instead.
     *
     * @param secretFromEnvironment whether {@code OTPGATE_SECRET} gives the secret, so no file is needed
     */
    public static void checkSecretNotLost(Path dir, List<String> databaseFiles, boolean secretFromEnvironment) {
        if (!secretFromEnvironment
                && hasDatabase(dir, databaseFiles)
                && !Files.exists(dir.resolve(SecretFile.FILE_NAME))) {
            throw problem(dir + " has a database but no " + SecretFile.FILE_NAME + " file, which its codes and"
                    + " password are derived from: restore " + dir.resolve(SecretFile.FILE_NAME)
                    + ", or set OTPGATE_SECRET to it");
        }
    }

    private static boolean hasDatabase(Path dir, List<String> databaseFiles) {
        return databaseFiles.stream().anyMatch(name -> sizeOf(dir.resolve(name)) > 0);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Mode 600 for a file the database engine created with the process's default mode. */
    public static void restrict(Path file) {
        try {
            if (Files.exists(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("cannot make {} readable by its owner only ({}); chmod 600 it", file, e.getMessage());
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn(
                        "{} can be read by other users (mode {}); it holds a secret: chmod 600 {}",
                        file,
                        PosixFilePermissions.toString(mode),
                        file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static ConfigurationException problem(String text) {
        return new ConfigurationException(List.of(SETTING + ": " + text));
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.toString();
    }
}
