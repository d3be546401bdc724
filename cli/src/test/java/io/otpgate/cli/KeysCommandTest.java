package io.otpgate.cli;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.otpgate.jdbc.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    private static final Pattern KEY = Pattern.compile("otpk_([0-9a-hjkmnp-tv-z]{12})_[0-9a-hjkmnp-tv-z]{32}");
    private static final String ENV_KEY = "an-environment-key-of-at-least-32-characters";

    @TempDir
    Path dir;

    private Conversation run(String... args) {
        return run(Map.of(), args);
    }

    private Conversation run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("OTPGATE_DATA_DIR", dir.resolve("data").toString());
        return new Conversation(env, dir, args);
    }

    /** Runs {@code keys create} and returns the key it printed. */
    private String create(String name) {
        Conversation create = run("keys", "create", "--name", name);
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        Matcher key = KEY.matcher(create.stdout());
        assertThat(key.find()).as(create.stdout()).isTrue();
        return key.group();
    }

    private static String idOf(String key) {
        Matcher matcher = KEY.matcher(key);
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }

    /**
     * Another process holding the embedded file's write lock past the busy timeout: the command
     * says so in one line and fails, instead of a stack trace; run again, it works.
     */
    @Test
    void aDatabaseHeldByAnotherProcessIsOneLineAndNoKey() throws Exception {
        create("first"); // a data dir with its database
        try (Database db = DataDirDatabase.open(dir.resolve("data"), 1);
                Connection holder = db.dataSource().getConnection();
                Statement s = holder.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            Conversation refused = run("keys", "create", "--name", "second");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr().strip().lines())
                    .singleElement(as(STRING))
                    .startsWith("otpgate: database unavailable")
                    .endsWith("try again shortly");
            assertThat(refused.stdout()).doesNotContainPattern(KEY.pattern());
            s.execute("ROLLBACK");
        }
        create("second");
    }

    @Test
    void createPrintsTheKeyOnceWithAWarningToStoreIt() {
        Conversation create = run("keys", "create", "--name", "ci deploy");

        assertThat(create.exitCode()).isZero();
        Matcher key = KEY.matcher(create.stdout());
        assertThat(key.find()).isTrue();
        assertThat(create.stdout())
                .contains("Created API key " + key.group(1) + " (ci deploy, tenant default)")
                .contains("Store it now: it cannot be shown again");
        assertThat(create.stdout().split(Pattern.quote(key.group()), -1))
                .as("printed exactly once")
                .hasSize(2);
        assertThat(create.stderr()).doesNotContain(key.group());
    }

    @Test
    void aKeyCreatedForATenantIsListedWithIt() {
        Conversation create = run("keys", "create", "--name", "acme app", "--tenant", "acme");
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        Matcher key = KEY.matcher(create.stdout());
        assertThat(key.find()).isTrue();

        Conversation list = run("keys", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(create.stdout()).contains("(acme app, tenant acme)");
        assertThat(list.stdout().lines().filter(l -> l.startsWith(idOf(key.group()))))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(" acme "));
    }

    @Test
    void aReadOnlyKeyIsCreatedAndListedWithItsScopeAndAnUnknownScopeIsRefused() {
        Conversation create = run("keys", "create", "--name", "dashboard", "--scope", "read");
        Conversation refused = run("keys", "create", "--name", "x", "--scope", "admin");

        assertThat(create.exitCode()).as(create.stderr()).isZero();
        assertThat(create.stdout()).contains("Created read-only API key");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("full or read");
        Conversation list = run("keys", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout().lines().filter(l -> l.contains("dashboard")))
                .singleElement()
                .satisfies(line -> assertThat(line).containsPattern("default\\s+read\\s+"));
        assertThat(list.stdout()).doesNotContain(" x ");
    }

    @Test
    void aMalformedTenantIsRefusedAndCreatesNothing() {
        Conversation create = run("keys", "create", "--name", "x", "--tenant", "Acme:Corp");

        assertThat(create.exitCode()).isEqualTo(Main.USAGE);
        assertThat(create.stderr()).contains("tenant");
        Conversation list = run("keys", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).doesNotContain("Acme");
    }

    @Test
    void listShowsIdNameCreatedAndStatusButNeverTheKey() {
        String key = create("ci deploy");

        Conversation list = run("keys", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).contains("ID", "NAME", "CREATED", "STATUS");
        assertThat(list.stdout().lines().filter(l -> l.startsWith(idOf(key))))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("ci deploy")
                        .containsPattern("\\d{4}-\\d\\d-\\d\\dT")
                        .endsWith("active"));
        assertThat(list.stdout() + list.stderr()).doesNotContain(key).doesNotContain(key.substring(18));
    }

    @Test
    void listMarksEnvironmentKeysByIdOnly() {
        Conversation list = run(Map.of("OTPGATE_API_KEYS", ENV_KEY), "keys", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).containsPattern("env_[0-9a-hjkmnp-tv-z]{8} .*active \\(from OTPGATE_API_KEYS\\)");
        assertThat(list.stdout() + list.stderr()).doesNotContain(ENV_KEY);
    }

    @Test
    void listWithNoKeysSaysHowToCreateOne() {
        Conversation list = run("keys", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).contains("No API keys").contains("otpgate keys create");
    }

    @Test
    void revokeWorksOnceThenSaysTheKeyIsAlreadyRevoked() {
        String key = create("old");
        String id = idOf(key);

        Conversation first = run("keys", "revoke", id);
        assertThat(first.exitCode()).isZero();
        Conversation second = run("keys", "revoke", id);
        assertThat(second.exitCode()).isEqualTo(1);
        Conversation list = run("keys", "list");
        assertThat(list.exitCode()).isZero();

        assertThat(first.stdout()).contains("Revoked " + id + " (old)");
        assertThat(second.stdout()).contains("already revoked");
        assertThat(list.stdout()).containsPattern(id + " .*revoked \\d{4}-");
        assertThat(first.stdout() + first.stderr() + second.stdout() + second.stderr() + list.stdout() + list.stderr())
                .doesNotContain(key.substring(18));
    }

    @Test
    void revokeOfAnUnknownIdExitsWithOne() {
        Conversation revoke = run("keys", "revoke", "0123456789ab");

        assertThat(revoke.exitCode()).isEqualTo(1);
        assertThat(revoke.stdout()).contains("No such API key: 0123456789ab");
    }

    @Test
    void anEnvironmentKeyIsNotRevokedHere() {
        Conversation list = run(Map.of("OTPGATE_API_KEYS", ENV_KEY), "keys", "list");
        assertThat(list.exitCode()).isZero();
        Matcher id = Pattern.compile("env_[0-9a-hjkmnp-tv-z]{8}").matcher(list.stdout());
        assertThat(id.find()).isTrue();

        Conversation revoke = run(Map.of("OTPGATE_API_KEYS", ENV_KEY), "keys", "revoke", id.group());

        assertThat(revoke.exitCode()).isEqualTo(1);
        assertThat(revoke.stdout()).contains("comes from OTPGATE_API_KEYS");
    }

    @Test
    void aNameWithControlCharactersIsRefused() {
        Conversation create = run("keys", "create", "--name", "ci\u001b[2J");

        assertThat(create.exitCode()).isEqualTo(2);
        assertThat(create.stderr()).contains("control character");
        assertThat(create.stdout()).doesNotContain("otpk_");
    }

    @Test
    void theKeyIsNowhereInTheDataDirectory() throws Exception {
        String key = create("ci");

        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(key.substring(18));
            }
        }
    }

    @Test
    void helpListsTheKeysCommands() {
        Conversation top = run("--help");
        assertThat(top.exitCode()).isZero();
        Conversation help = run("keys", "--help");
        assertThat(help.exitCode()).isZero();

        assertThat(top.stdout()).contains("keys");
        assertThat(help.stdout()).contains("create", "list", "revoke");
    }
}
