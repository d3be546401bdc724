package io.otpgate.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.Validated;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

    private final WebhookTargets guarded = new WebhookTargets(false);

    @Test
    void loopbackLinkLocalPrivateAndOtherInternalAddressesAreRefused() throws Exception {
        for (String address : List.of(
                "127.0.0.1",
                "127.1.2.3",
                "::1",
                "0.0.0.0",
                "0.1.2.3",
                "10.0.0.1",
                "172.16.5.4",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.254",
                "fd00::1",
                "fc00::1",
                "fe80::1",
                "::",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "224.0.0.1",
                "255.255.255.255")) {
            assertThat(guarded.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
            assertThat(guarded.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isTrue();
        }
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedAndSaysWhichSettingAllowsIt() {
        Validated<InetAddress> resolved = guarded.resolve("localhost");

        assertThat(resolved).isInstanceOf(Validated.Invalid.class);
        assertThat(((Validated.Invalid<InetAddress>) resolved).reason()).contains("OTPGATE_WEBHOOK_ALLOW_PRIVATE");
        assertThat(guarded.refusal("localhost")).isPresent();
        assertThat(guarded.refusal("[::1]")).isPresent();
    }

    @Test
    void allowPrivateLetsLoopbackThrough() {
        assertThat(new WebhookTargets(true).resolve("127.0.0.1")).isInstanceOf(Validated.Valid.class);
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAndNoUserInfoAreAccepted() {
        assertThat(WebhookTargets.parse("https://hooks.example.com/x")).isInstanceOf(Validated.Valid.class);
        assertThat(WebhookTargets.parse("https://hooks.example.com:65535/x")).isInstanceOf(Validated.Valid.class);
        for (String url : List.of(
                "https://hooks.example.com:99999/x",
                "https://hooks.example.com:0/x",
                "ftp://hooks.example.com/x",
                "file:///etc/passwd",
                "gopher://hooks.example.com",
                "https://user:pass@hooks.example.com/",
                "https:///nohost",
                "hooks.example.com/x",
                "https://hooks.example.com/x#frag")) {
            assertThat(WebhookTargets.parse(url)).as(url).isInstanceOf(Validated.Invalid.class);
        }
    }
}
