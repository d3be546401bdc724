package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFileTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileIsReadableByItsOwnerOnlyInAPrivateDirectory() throws Exception {
        Path file = dir.resolve("data").resolve("api-key");

        boolean created = PrivateFile.createIfAbsent(file, "text\n");

        assertThat(created).isTrue();
        assertThat(Files.readString(file)).isEqualTo("text\n");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file.getParent()))
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void anExistingFileIsLeftAsItWas() throws Exception {
        Path file = dir.resolve("api-key");
        PrivateFile.createIfAbsent(file, "first\n");

        boolean created = PrivateFile.createIfAbsent(file, "second\n");

        assertThat(created).isFalse();
        assertThat(Files.readString(file)).isEqualTo("first\n");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("api-key");
    }
}
