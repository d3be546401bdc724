package io.otpgate.cli.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read (mode 600), for the generated secret and the generated API key.
 *
 * <p>The file is complete and private from the moment it appears: the text goes into a temporary
 * file that is created with mode 600 (never readable by others, not even for an instant), which is
 * then hard-linked into place. The link fails if the file already exists, so of two processes that
 * race, exactly one wins and nobody ever reads a half-written file.
 */
public final class PrivateFile {

    private PrivateFile() {}

    /**
     * Creates {@code file} holding {@code text} unless it already exists; its directory is created
     * with mode 700 if missing.
     *
     * @return true if this call created the file; false if it existed (then it is left untouched)
     */
    public static boolean createIfAbsent(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        DataDir.create(dir);
        if (Files.exists(file)) {
            return false;
        }
        Path temporary = Files.createTempFile(
                dir,
                file.getFileName().toString(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text);
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException racedWithAnotherProcess) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
