package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DataDirTest {

    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(DataDir.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    @Test
    void aSecretOthersCanReadIsNamedWithTheFix() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s".repeat(43) + "\n");
        Path key = Files.writeString(dir.resolve("api-key"), "k".repeat(43) + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        DataDir.prepare(dir);

        assertThat(captured.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactlyInAnyOrder(
                        secret + " can be read by other users (mode rw-r--r--); it holds a secret: chmod 600 " + secret,
                        key + " can be read by other users (mode rw-r-----); it holds a secret: chmod 600 " + key);
    }

    @Test
    void privateFilesGetNoWarning() throws Exception {
        PrivateFile.createIfAbsent(dir.resolve("secret"), "s".repeat(43) + "\n");

        DataDir.prepare(dir);

        assertThat(captured.list).isEmpty();
    }

    @Test
    void aCreatedDataDirIsTheOwnersOnly() throws Exception {
        Path data = dir.resolve("a/b/data");

        DataDir.prepare(data);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
    }
}
