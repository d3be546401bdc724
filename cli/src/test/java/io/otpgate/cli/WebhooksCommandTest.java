package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code otpgate webhooks}, each command a run of the CLI on one data dir: the secret printed once,
 * tenants apart, private targets refused.
 */
class WebhooksCommandTest {

    private static final Pattern ID = Pattern.compile("wh_[0-9a-hjkmnp-tv-z]{26}");

    @TempDir
    Path dir;

    private Conversation run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("OTPGATE_DATA_DIR", dir.resolve("data").toString());
        Conversation run = new Conversation(env, dir, args);
        run.exitCode();
        return run;
    }

    private String add(String... args) {
        Conversation add = run(args);
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(add.stdout()).containsPattern("whsec_[A-Za-z0-9+/]{32}");
        Matcher id = ID.matcher(add.stdout());
        assertThat(id.find()).isTrue();
        return id.group();
    }

    @Test
    void addListTestDeliveriesAndRemoveForOneTenant() {
        String id = add(
                "webhooks",
                "add",
                "--tenant",
                "acme",
                "https://hooks.example.com/otpgate",
                "--events",
                "verification.approved,email.failed");

        Conversation list = run("webhooks", "list", "--tenant", "acme");
        assertThat(list.stdout())
                .contains(id, "https://hooks.example.com/otpgate", "email.failed,verification.approved")
                .doesNotContain("whsec_");
        assertThat(run("webhooks", "list").stdout()).doesNotContain(id);
        assertThat(run("webhooks", "test", "--tenant", "acme", id).exitCode()).isZero();
        assertThat(run("webhooks", "deliveries", "--tenant", "acme", id).stdout())
                .contains("webhook.test", "queued");

        Conversation foreign = run("webhooks", "remove", id);
        assertThat(foreign.exitCode()).isEqualTo(1);
        assertThat(run("webhooks", "remove", "--tenant", "acme", id).exitCode()).isZero();
        assertThat(run("webhooks", "list", "--tenant", "acme").stdout()).doesNotContain(id);
    }

    @Test
    void privateTargetsAndUnknownEventsAreRefused() {
        for (String url : new String[] {"http://127.0.0.1/hook", "http://169.254.169.254/", "http://localhost/x"}) {
            Conversation refused = run("webhooks", "add", url);
            assertThat(refused.exitCode()).as(url).isEqualTo(2);
            assertThat(refused.stderr()).contains("OTPGATE_WEBHOOK_ALLOW_PRIVATE");
        }
        Conversation unknown = run("webhooks", "add", "https://hooks.example.com/x", "--events", "email.bounced");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown event type: email.bounced");
        assertThat(run("webhooks", "list").stdout()).contains("No webhooks");
    }
}
