package io.otpgate.core.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSecretTest {

    @Test
    void keyShorterThan16BytesIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerSecret.of(List.of(new byte[15])))
                .withMessageContaining("16 bytes");
    }

    @Test
    void noKeyIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerSecret.of(List.of()));
    }

    @Test
    void toStringDoesNotShowTheKey() {
        byte[] key = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);

        ServerSecret secret = ServerSecret.of(List.of(key));

        assertThat(secret.toString()).doesNotContain("horse").contains("hidden");
    }

    @Test
    void changingTheCallersArrayAfterwardsDoesNotChangeTheSecret() {
        // given
        byte[] key = new byte[32];
        ServerSecret secret = ServerSecret.of(List.of(key));
        List<byte[]> before = secret.derive("label");

        // when
        key[0] = 42;

        // then
        assertThat(secret.derive("label").get(0)).isEqualTo(before.get(0));
    }
}
