package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.jdbc.Database;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every start-up problem, through the real entry point: one line per cause naming the setting, exit
 * status 2, no stack trace.
 */
class StartupErrorsTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {

        List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }

        /** The one-line refusal every start-up problem must be. */
        void refusedInOneLine(String... fragments) {
            assertThat(exit).as(err).isEqualTo(2);
            assertThat(errLines())
                    .as(err)
                    .singleElement()
                    .asString()
                    .startsWith("otpgate: ")
                    .contains(fragments);
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private Run run(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("OTPGATE_DATA_DIR", dir.resolve("data").toString());
        env.put("OTPGATE_PORT", "0");
        env.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(
                args,
                env,
                dir,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingTemplatesDirectoryNamesTheSetting() {
        run(Map.of("OTPGATE_TEMPLATES_DIR", "no-such-dir"), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_TEMPLATES_DIR", "no-such-dir", "does not exist");
    }

    @Test
    void aBrokenTemplateNamesTheSettingAndTheTemplate() throws Exception {
        Path templates = Files.createDirectory(dir.resolve("templates"));
        Files.writeString(templates.resolve("code.txt.mustache"), "Your code: {{#code}} never closed\n");

        run(Map.of("OTPGATE_TEMPLATES_DIR", templates.toString()), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_TEMPLATES_DIR", "code.txt.mustache");
    }

    @Test
    void aPortInUseNamesTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            run(Map.of("OTPGATE_PORT", Integer.toString(taken.getLocalPort())), "serve")
                    .refusedInOneLine("OTPGATE_PORT", "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aCorruptDatabaseNamesTheFileAndTheSetting() throws Exception {
        Path data = dir.resolve("data");
        run(Map.of(), "status", "ver_00000000000000000000000000"); // a data dir with its secret and database
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(data.resolve(Database.EMBEDDED_FILE), garbage);

        run(Map.of(), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR: cannot open the database", Database.EMBEDDED_FILE);
    }

    @Test
    void aDataDirThatIsAFileNamesTheSetting() throws Exception {
        Files.writeString(dir.resolve("data"), "not a directory\n");

        run(Map.of(), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "is not a directory");
    }

    @Test
    void aDataDirInsideAFileNamesTheSetting() throws Exception {
        Files.writeString(dir.resolve("file"), "not a directory\n");

        run(Map.of("OTPGATE_DATA_DIR", dir.resolve("file/data").toString()), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "cannot create");
    }

    @Test
    void aBadDurationOptionIsOneLine() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "email\nada@example.com\n");

        run(Map.of(), "send", "--csv", "users.csv", "--wait-timeout=abc")
                .refusedInOneLine("--wait-timeout", "'abc' is not a duration", "otpgate send --help");
    }

    @Test
    void everyBadValueOfTheFileIsReportedTogetherOneLineEach() throws Exception {
        Files.writeString(dir.resolve("otpgate.yml"), """
        code_length: twelve
        code_ttl: 48h
        smtp_tls: maybe
        smtp_hots: smtp.example.com
        """);

        Run run = run(Map.of(), "status", "ver_00000000000000000000000000");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines())
                .hasSize(4)
                .allSatisfy(line -> assertThat(line).startsWith("otpgate: "))
                .anySatisfy(line -> assertThat(line).contains("OTPGATE_CODE_LENGTH"))
                .anySatisfy(line -> assertThat(line).contains("OTPGATE_CODE_TTL"))
                .anySatisfy(line -> assertThat(line).contains("OTPGATE_SMTP_TLS"))
                .anySatisfy(line -> assertThat(line).contains("did you mean smtp_host?"));
    }

    @Test
    void aMisspeltVariableStopsEveryCommand() {
        run(Map.of("OTPGATE_SMTP_HOTS", "smtp.example.com"), "serve")
                .refusedInOneLine("unknown setting OTPGATE_SMTP_HOTS; did you mean OTPGATE_SMTP_HOST?");
    }

    @Test
    void devModeOnAllInterfacesIsRefused() {
        run(Map.of("OTPGATE_HOST", "0.0.0.0"), "serve")
                .refusedInOneLine("OTPGATE_HOST=0.0.0.0", "OTPGATE_DEV_MAILBOX_PUBLIC=true");
    }

    @Test
    void aLostDatabaseNextToItsSecretAndKeyIsRefusedUnlessInit() throws Exception {
        Path data = dir.resolve("data");
        assertThat(run(Map.of(), "status", "ver_00000000000000000000000000").exit())
                .isEqualTo(1);
        Files.writeString(data.resolve("api-key"), "otp_a_key_of_the_lost_database_0123456789\n");
        Files.delete(data.resolve(Database.EMBEDDED_FILE));

        run(Map.of(), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "secret and api-key but no database", "--init");
        assertThat(data.resolve(Database.EMBEDDED_FILE)).doesNotExist();

        Run init = run(Map.of(), "status", "--init", "ver_00000000000000000000000000");
        assertThat(init.exit()).as(init.err()).isEqualTo(1);
        assertThat(data.resolve(Database.EMBEDDED_FILE)).exists();
        assertThat(data.resolve("api-key")).doesNotExist();
        assertThat(data.resolve("secret")).exists();
    }

    @Test
    void anEmptyDatabaseFileNextToItsSecretIsALostDatabaseToo() throws Exception {
        Path data = dir.resolve("data");
        run(Map.of(), "status", "ver_00000000000000000000000000");
        Files.write(data.resolve(Database.EMBEDDED_FILE), new byte[0]);

        run(Map.of(), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "but no database", "--init");
    }

    @Test
    void aLostSecretIsRefusedNamingItInsteadOfReplacedByANewOne() throws Exception {
        Path data = dir.resolve("data");
        run(Map.of(), "status", "ver_00000000000000000000000000");
        Files.delete(data.resolve("secret"));

        run(Map.of(), "status", "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "has a database but no secret file", "OTPGATE_SECRET");
        assertThat(data.resolve("secret")).doesNotExist();
    }

    @Test
    void anotherSecretThanTheDatabasesIsNamedNotJustAWrongPassword() {
        run(Map.of(), "status", "ver_00000000000000000000000000");

        run(
                        Map.of("OTPGATE_SECRET", "another-secret-that-is-long-enough-0123456789"),
                        "status",
                        "ver_00000000000000000000000000")
                .refusedInOneLine("OTPGATE_DATA_DIR", "created under another secret");
    }

    @Test
    void theDataDirAndItsFilesAreTheOwnersOnly() throws Exception {
        Path data = dir.resolve("data");

        run(Map.of(), "status", "ver_00000000000000000000000000");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        for (String file : List.of("secret", Database.EMBEDDED_FILE)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
                    .as(file)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aMisspeltCommandIsOneLineWithTheClosestCommand() {
        run(Map.of(), "sned", "--csv", "users.csv").refusedInOneLine("'sned'", "did you mean send?");
    }
}
