package io.otpgate.core.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodeSealerTest {

    private static final byte[] OLD_KEY = key(1);
    private static final byte[] NEW_KEY = key(2);
    private static final String ROW_A = "eml_0123456789abcdefghjkmnpqrs";
    private static final String ROW_B = "eml_0123456789abcdefghjkmnpqrt";
    /** version, key index, 12-byte nonce, 6 code bytes, 16-byte tag. */
    private static final int SEALED_LENGTH = 1 + 12 + 6 + 16;

    private final CodeSealer sealer = sealerWith(OLD_KEY);

    @Test
    void sealedCodeOpensToTheSameCode() {
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        OneTimeCode opened = sealer.open(ROW_A, sealed);

        assertThat(opened.reveal()).isEqualTo("012345");
    }

    @Test
    void sealedAlphanumericCodeOpensToTheSameCode() {
        byte[] sealed = sealer.seal(ROW_A, code("ABC234"));

        assertThat(sealer.open(ROW_A, sealed).reveal()).isEqualTo("ABC234");
    }

    static IntStream authenticatedByteIndexes() {
        return IntStream.range(0, SEALED_LENGTH);
    }

    @ParameterizedTest(name = "byte {0}")
    @MethodSource("authenticatedByteIndexes")
    void flippingAByteMakesTheSealedCodeUnopenable(int index) {
        // given
        byte[] sealed = sealer.seal(ROW_A, code("012345"));
        assertThat(sealed).hasSize(SEALED_LENGTH);

        // when
        sealed[index] ^= 0x01;

        // then
        assertThatIllegalStateException().isThrownBy(() -> sealer.open(ROW_A, sealed));
    }

    @Test
    void appendedByteMakesTheSealedCodeUnopenable() {
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);

        assertThatIllegalStateException().isThrownBy(() -> sealer.open(ROW_A, longer));
    }

    @Test
    void sealedCodeCutBeforeTheNonceEndsIsRefused() {
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        assertThatIllegalStateException()
                .isThrownBy(() -> sealer.open(ROW_A, Arrays.copyOf(sealed, 13)))
                .withMessageContaining("unknown format");
    }

    @Test
    void sealedCodeCutInsideTheTagIsRefused() {
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        for (int length = 14; length < SEALED_LENGTH; length++) {
            byte[] cut = Arrays.copyOf(sealed, length);
            assertThatIllegalStateException().isThrownBy(() -> sealer.open(ROW_A, cut));
        }
    }

    @Test
    void sealedCodeForOneRowDoesNotOpenAsAnother() {
        // given a sealed code copied from row A into row B
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        // then
        assertThatIllegalStateException().isThrownBy(() -> sealer.open(ROW_B, sealed));
    }

    @Test
    void sealedCodeDoesNotOpenUnderAnotherSecret() {
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        assertThatIllegalStateException()
                .isThrownBy(() -> sealerWith(NEW_KEY).open(ROW_A, sealed))
                .withMessageContaining("OTPGATE_SECRET");
    }

    @Test
    void codeSealedBeforeRotationOpensAfterIt() {
        // given a code sealed under the old key
        byte[] sealed = sealer.seal(ROW_A, code("012345"));

        // when the new key is put in front
        CodeSealer rotated = sealerWith(NEW_KEY, OLD_KEY);

        // then
        assertThat(rotated.open(ROW_A, sealed).reveal()).isEqualTo("012345");
    }

    @Test
    void codeSealedAfterRotationUsesTheNewKey() {
        byte[] sealed = sealerWith(NEW_KEY, OLD_KEY).seal(ROW_A, code("012345"));

        assertThatIllegalStateException().isThrownBy(() -> sealer.open(ROW_A, sealed));
        assertThat(sealerWith(NEW_KEY).open(ROW_A, sealed).reveal()).isEqualTo("012345");
    }

    @Test
    void sealedBytesDoNotContainTheCode() {
        for (String text : List.of("012345", "999999", "ABCDEF", "0123456789")) {
            byte[] sealed = sealer.seal(ROW_A, code(text));

            assertThat(indexOf(sealed, text.getBytes(StandardCharsets.US_ASCII)))
                    .as("position of %s in the sealed bytes", text)
                    .isEqualTo(-1);
        }
    }

    @Test
    void twoSealsOfOneCodeDiffer() {
        byte[] first = sealer.seal(ROW_A, code("012345"));
        byte[] second = sealer.seal(ROW_A, code("012345"));

        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(first, 2, 14)).isNotEqualTo(Arrays.copyOfRange(second, 2, 14));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static CodeSealer sealerWith(byte[]... keys) {
        return new CodeSealer(ServerSecret.of(List.of(keys)), new SecureRandom());
    }

    private static OneTimeCode code(String text) {
        return OneTimeCode.of(text.toCharArray());
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
