package io.otpgate.core.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeHasherTest {

    private static final byte[] OLD_KEY = key(1);
    private static final byte[] NEW_KEY = key(2);
    private static final String ID = "ver_0123456789abcdefghjkmnpqrs";
    private static final String OTHER_ID = "ver_0123456789abcdefghjkmnpqrt";
    private static final String PURPOSE = "verify_email";

    private final CodeHasher hasher = new CodeHasher(ServerSecret.of(List.of(OLD_KEY)));

    @Test
    void sameInputsGiveTheSameHash() {
        byte[] first = hasher.hash(ID, PURPOSE, code("012345"));
        byte[] second = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(first).isEqualTo(second);
    }

    @Test
    void differentVerificationIdGivesADifferentHash() {
        assertThat(hasher.hash(ID, PURPOSE, code("012345")))
                .isNotEqualTo(hasher.hash(OTHER_ID, PURPOSE, code("012345")));
    }

    @Test
    void differentPurposeGivesADifferentHash() {
        assertThat(hasher.hash(ID, "verify_email", code("012345")))
                .isNotEqualTo(hasher.hash(ID, "password_reset", code("012345")));
    }

    @Test
    void differentCodeGivesADifferentHash() {
        assertThat(hasher.hash(ID, PURPOSE, code("012345"))).isNotEqualTo(hasher.hash(ID, PURPOSE, code("012346")));
    }

    @Test
    void movingCharactersBetweenFieldsGivesADifferentHash() {
        // given the same concatenated text split differently between id, purpose and code
        byte[] one = hasher.hash("ver_a", "bc", code("123456"));
        byte[] other = hasher.hash("ver_ab", "c", code("123456"));
        byte[] third = hasher.hash("ver_ab", "c1", code("23456"));

        // then every split hashes differently
        assertThat(one).isNotEqualTo(other);
        assertThat(other).isNotEqualTo(third);
    }

    @Test
    void differentSecretGivesADifferentHash() {
        CodeHasher other = new CodeHasher(ServerSecret.of(List.of(NEW_KEY)));

        assertThat(hasher.hash(ID, PURPOSE, code("012345"))).isNotEqualTo(other.hash(ID, PURPOSE, code("012345")));
    }

    @Test
    void rightTripleMatches() {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(hasher.matches(ID, PURPOSE, code("012345"), stored)).isTrue();
    }

    @Test
    void wrongCodeDoesNotMatch() {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(hasher.matches(ID, PURPOSE, code("012346"), stored)).isFalse();
    }

    @Test
    void rightCodeForAnotherVerificationDoesNotMatch() {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(hasher.matches(OTHER_ID, PURPOSE, code("012345"), stored)).isFalse();
    }

    @Test
    void rightCodeForAnotherPurposeDoesNotMatch() {
        byte[] stored = hasher.hash(ID, "verify_email", code("012345"));

        assertThat(hasher.matches(ID, "password_reset", code("012345"), stored)).isFalse();
    }

    @Test
    void truncatedOrEmptyStoredHashDoesNotMatch() {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(hasher.matches(ID, PURPOSE, code("012345"), Arrays.copyOf(stored, 16)))
                .isFalse();
        assertThat(hasher.matches(ID, PURPOSE, code("012345"), new byte[0])).isFalse();
    }

    @Test
    void storedValueIsNotPlainSha256OfTheCode() throws Exception {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        byte[] plain = sha256("012345");

        assertThat(stored).isNotEqualTo(plain);
    }

    @Test
    void storedValueIsNotPlainSha256OfIdAndCode() throws Exception {
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(stored)
                .isNotEqualTo(sha256(ID + "012345"))
                .isNotEqualTo(sha256(ID + PURPOSE + "012345"))
                .isNotEqualTo(sha256(ID + ":" + "012345"));
    }

    @Test
    void hashMadeWithTheOldKeyStillMatchesAfterRotation() {
        // given a code hashed before the rotation
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        // when the operator puts a new key in front
        CodeHasher rotated = new CodeHasher(ServerSecret.of(List.of(NEW_KEY, OLD_KEY)));

        // then
        assertThat(rotated.matches(ID, PURPOSE, code("012345"), stored)).isTrue();
    }

    @Test
    void newHashesUseTheNewKeyAfterRotation() {
        // given a code hashed after the rotation
        CodeHasher rotated = new CodeHasher(ServerSecret.of(List.of(NEW_KEY, OLD_KEY)));
        byte[] stored = rotated.hash(ID, PURPOSE, code("012345"));

        // then a hasher that only knows the old key cannot match it, but one with only the new key can
        assertThat(hasher.matches(ID, PURPOSE, code("012345"), stored)).isFalse();
        assertThat(new CodeHasher(ServerSecret.of(List.of(NEW_KEY))).matches(ID, PURPOSE, code("012345"), stored))
                .isTrue();
    }

    @Test
    void wrongCodeDoesNotMatchUnderAnyRotatedKey() {
        CodeHasher rotated = new CodeHasher(ServerSecret.of(List.of(NEW_KEY, OLD_KEY)));
        byte[] stored = hasher.hash(ID, PURPOSE, code("012345"));

        assertThat(rotated.matches(ID, PURPOSE, code("543210"), stored)).isFalse();
    }

    private static OneTimeCode code(String text) {
        return OneTimeCode.of(text.toCharArray());
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
