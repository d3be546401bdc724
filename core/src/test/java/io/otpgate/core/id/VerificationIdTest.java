package io.otpgate.core.id;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerificationIdTest {

    private static final String VALID = "ver_0123456789abcdefghjkmnpqrs";

    @Test
    void wellFormedIdIsAccepted() {
        VerificationId id = VerificationId.parse(VALID).orElseThrow();

        assertThat(id.value()).isEqualTo(VALID);
    }

    @Test
    void freshlyGeneratedIdsParse() {
        RandomIds ids = new RandomIds(new SecureRandom());

        for (int i = 0; i < 1_000; i++) {
            String id = ids.next("ver_");

            assertThat(VerificationId.parse(id).orElseThrow().value()).isEqualTo(id);
        }
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        VerificationId id = VerificationId.parse("  " + VALID + "\n").orElseThrow();

        assertThat(id.value()).isEqualTo(VALID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "../",
                "../../etc/passwd",
                "ver_../../x",
                "ver_../../../../etc/passwd",
                "ver_%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "%2e%2e/ver_0123456789abcdefghjkmnpqrs",
                "ver_0123456789abcdefghjkmnpq/s",
                "ver_0123456789abcdefghjkmnpq%2",
                "ver_0123456789abcdefghjkmnpqr", // 25 characters
                "ver_0123456789abcdefghjkmnpqrst", // 27 characters
                "VER_0123456789abcdefghjkmnpqrs",
                "ver_0123456789ABCDEFGHJKMNPQRS",
                "ver_0123456789abcdefghijklmnop", // i, l and o are not Crockford
                "ver_0123456789abcdefghjkmnpqru", // nor is u
                "ver-0123456789abcdefghjkmnpqrs",
                "0123456789abcdefghjkmnpqrs",
                "ver_0123456789abcdefghjkmnpqr\u0455", // Cyrillic dze looks like s
                "ver_０１２３４５６７８９abcdefghjkmnpqrs", // full-width digits
                "ver_0123456789abcdefghjkmnpqrs\u0000",
                "ver_0123456789abcdefghjkmnpqrs\r\nX-Injected: 1",
                "ver_0123456789abcdefghjkmnpqrs?x=1",
                "ver_0123456789abcdefghjkmnpqrs ver_0123456789abcdefghjkmnpqrs",
                "ver_0123456789abcd'; DROP TABLE verifications; --"
            })
    void malformedOrPathLikeIdIsRefused(String text) {
        assertThat(reasonFor(VerificationId.parse(text))).contains("not a verification id");
    }

    @Test
    void veryLongIdIsRefused() {
        String text = "ver_" + "a".repeat(100_000);

        assertThat(VerificationId.parse(text).isValid()).isFalse();
    }

    @Test
    void nullIsRefused() {
        assertThat(VerificationId.parse(null).isValid()).isFalse();
    }

    @Test
    void constructorRefusesMalformedIds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new VerificationId("ver_../../x"));
    }
}
