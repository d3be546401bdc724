package io.otpgate.cli;

import io.otpgate.cli.config.Settings;
import io.otpgate.jdbc.Database;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Copies the embedded database while {@code serve} and other commands keep using it. The copy is a
 * snapshot of one moment ({@code VACUUM INTO} inside one read transaction), written under a hidden
 * temporary name in the target's directory and renamed into place once it is complete and on disk,
 * so the target is either the whole backup or untouched.
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Copy the embedded database to FILE while the server keeps running (mode 600).")
final class BackupCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "FILE", description = "Where to write the copy; refused if it exists, unless --force.")
    Path file;

    @Option(names = "--force", description = "Replace FILE if it exists (never the live database).")
    boolean force;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        Settings settings = main.settings();
        if (!settings.database().embedded()) {
            t.warn("otpgate: backup copies the embedded SQLite file; OTPGATE_DB_URL is PostgreSQL:"
                    + " back it up with pg_dump (or pg_basebackup)");
            return Main.USAGE;
        }
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        if (Database.EMBEDDED_FILES.stream().noneMatch(name -> Files.exists(dataDir.resolve(name)))) {
            t.warn("otpgate: OTPGATE_DATA_DIR: no database in " + dataDir + " to back up");
            return Main.USAGE;
        }
        Path target = main.resolve(file).toAbsolutePath().normalize();
        String refusal = refusal(target, dataDir);
        if (refusal != null) {
            t.warn("otpgate: " + refusal);
            return Main.USAGE;
        }
        try (OtpGate app = main.openWithoutDelivery()) {
            long size;
            try {
                size = write(app.database(), target);
            } catch (FileAlreadyExistsException e) {
                t.warn("otpgate: " + target + " appeared while the backup ran; nothing was replaced");
                return 1;
            } catch (IOException | RuntimeException e) {
                String why = e instanceof IOException ? e.toString() : e.getMessage();
                t.warn("otpgate: backup to " + target + " failed, nothing was written: " + why);
                return 1;
            }
            t.say("Backed up " + app.database().describe() + " to " + target + " ("
                    + String.format(Locale.ROOT, "%,d", size) + " bytes)");
            return 0;
        }
    }

    /** Why {@code target} cannot take a backup, or null if it can. */
    private String refusal(Path target, Path dataDir) {
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            return "cannot write " + target + ": no directory " + directory;
        }
        if (Files.isDirectory(target)) {
            return target + " is a directory; name the backup file, e.g. " + target.resolve("otpgate-backup.db");
        }
        // The copy is written by renaming over a directory entry, so it can only ever replace a
        // file of the data dir by its name there: the database, its WAL, the secret. A copy beside
        // the live database would also be lost with it.
        if (sameDirectory(directory, dataDir)) {
            return "cannot write " + target + ": it is in the data dir; back up to another directory";
        }
        if (!Files.isWritable(directory)) {
            return "cannot write " + target + ": " + directory + " is not writable by this user";
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            return target + " exists; add --force to replace it";
        }
        return null;
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            // Both exist, as checked just before: only a race with a deletion gets here.
            return true;
        }
    }

    /** Writes the copy beside {@code target} and renames it into place; returns its size. */
    private long write(Database database, Path target) throws IOException {
        Path directory = target.getParent();
        // Mode 600 from creation: the copy holds key hashes and sealed codes. VACUUM INTO fills an
        // empty file and keeps its mode.
        Path partial = Files.createTempFile(
                directory,
                "." + target.getFileName() + ".",
                ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            database.backup(partial);
            // Durable before it takes the name: a power loss must not leave a renamed, empty file.
            force(partial, StandardOpenOption.WRITE);
            if (force) {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // Without ATOMIC_MOVE, a file that appeared meanwhile is refused instead of replaced.
                Files.move(partial, target);
            }
            force(directory, StandardOpenOption.READ);
            return Files.size(target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void force(Path path, StandardOpenOption mode) throws IOException {
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        }
    }
}
