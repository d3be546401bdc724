package io.otpgate.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The Standard Webhooks specification's example: its secret, id, timestamp, body and signature. */
    @Test
    void signsTheSpecificationsExampleAsTheSpecificationDoes() {
        WebhookSecret secret =
                WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").orElseThrow();

        String signature =
                WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theIdTheTimestampAndEveryByteOfTheBodyAreSigned() {
        WebhookSecret secret = WebhookSecret.generate(new SecureRandom());
        String base = WebhookSignature.sign(secret, "msg_1", 1000, "{\"a\":1}");

        assertThat(WebhookSignature.sign(secret, "msg_2", 1000, "{\"a\":1}")).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(secret, "msg_1", 1001, "{\"a\":1}")).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(secret, "msg_1", 1000, "{\"a\":2}")).isNotEqualTo(base);
    }

    @Test
    void aGeneratedSecretIsWhsecAnd24RandomBytesAndHidesItselfInToString() {
        WebhookSecret secret = WebhookSecret.generate(new SecureRandom());

        assertThat(secret.reveal()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.reveal().substring(6))).hasSize(24);
        assertThat(secret.toString()).doesNotContain(secret.reveal().substring(6));
        assertThat(WebhookSecret.parse(secret.reveal())).contains(secret);
        assertThat(WebhookSecret.parse("whsec_c2hvcnQ=")).isEmpty();
        assertThat(WebhookSecret.parse(secret.reveal().substring(6))).isEmpty();
    }
}
