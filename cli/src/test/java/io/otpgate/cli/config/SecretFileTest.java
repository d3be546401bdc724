package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.code.CodeFormat;
import io.otpgate.core.code.CodeHasher;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.code.ServerSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path dir;

    final SecureRandom random = new SecureRandom();

    @Test
    void aGeneratedSecretIsReadableByItsOwnerOnly() throws Exception {
        Path data = dir.resolve("data");

        SecretFile.resolve(Optional.empty(), data, random);

        assertThat(Files.getPosixFilePermissions(data.resolve("secret")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(data))
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void theGeneratedSecretIsKeptAcrossRestarts() {
        ServerSecret first = SecretFile.resolve(Optional.empty(), dir, random);
        ServerSecret second = SecretFile.resolve(Optional.empty(), dir, random);

        OneTimeCode code = new CodeFormat(Alphabet.DIGITS, 6).parse("123456").orElseThrow();
        byte[] hash = new CodeHasher(first).hash("ver_x", "verify_email", code);
        assertThat(new CodeHasher(second).matches("ver_x", "verify_email", code, hash))
                .isTrue();
    }

    @Test
    void aConfiguredSecretListRotates() {
        String old = "old-secret-0123456789-0123456789-abc";
        String current = "new-secret-0123456789-0123456789-xyz";
        OneTimeCode code = new CodeFormat(Alphabet.DIGITS, 6).parse("123456").orElseThrow();
        byte[] oldHash = new CodeHasher(SecretFile.resolve(Optional.of(old), dir, random)).hash("ver_x", "p", code);

        ServerSecret rotated = SecretFile.resolve(Optional.of(current + ", " + old), dir, random);

        assertThat(new CodeHasher(rotated).matches("ver_x", "p", code, oldHash)).isTrue();
        assertThat(Files.exists(dir.resolve("secret"))).isFalse();
    }

    @Test
    void aShortConfiguredSecretIsRefused() {
        assertThatThrownBy(() -> SecretFile.resolve(Optional.of("short"), dir, random))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at least 32");
    }

    @Test
    void theSecretFileNeverHoldsLessThanAKey() throws Exception {
        SecretFile.resolve(Optional.empty(), dir, random);

        assertThat(Files.readString(dir.resolve("secret")).strip()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("secret");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("secret"));
        assertThat(perms).doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    }
}
