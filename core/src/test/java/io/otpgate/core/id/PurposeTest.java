package io.otpgate.core.id;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PurposeTest {

    @ParameterizedTest
    @ValueSource(strings = {"verify_email", "password_reset", "a", "login2fa", "_"})
    void lowerCaseDigitsAndUnderscoresAreAccepted(String text) {
        assertThat(Purpose.parse(text).orElseThrow().value()).isEqualTo(text);
    }

    @Test
    void purposeOf32CharactersIsAccepted() {
        assertThat(Purpose.parse("p".repeat(32)).isValid()).isTrue();
    }

    @Test
    void purposeOf33CharactersIsRefused() {
        assertThat(reasonFor(Purpose.parse("p".repeat(33)))).contains("1 to 32");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "../",
                "../../etc/passwd",
                "verify_email/../admin",
                "%2e%2e",
                "verify%5femail",
                "Verify_Email",
                "verify-email",
                "verify email",
                "verify_email\n",
                " verify_email",
                "verify_email\u0000",
                "vérify_email",
                "verify_emaіl", // Cyrillic i
                "verify_email;drop"
            })
    void anythingElseIsRefused(String text) {
        assertThat(reasonFor(Purpose.parse(text))).contains("a-z, 0-9 and _");
    }

    @Test
    void veryLongPurposeIsRefused() {
        assertThat(Purpose.parse("a".repeat(100_000)).isValid()).isFalse();
    }

    @Test
    void nullIsRefused() {
        assertThat(Purpose.parse(null).isValid()).isFalse();
    }

    @Test
    void defaultPurposeIsVerifyEmail() {
        assertThat(Purpose.VERIFY_EMAIL.value()).isEqualTo("verify_email");
    }

    @Test
    void constructorRefusesMalformedPurposes() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Purpose("../x"));
    }
}
