package io.otpgate.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaintextKeyTest {

    @Test
    void toStringShowsTheIdAndHidesTheSecret() {
        char[] text = KeyFormat.generate(new SecureRandom());
        String secret = new String(text).substring(18);
        PlaintextKey key = new PlaintextKey(KeyFormat.idOf(text), text);
        ApiKey described = new ApiKey(
                key.id(), "ci", MutableClock.atNow().instant(), Optional.empty(), ApiKey.Source.STORED, Tenant.DEFAULT);

        assertThat(key.toString()).contains(key.id()).doesNotContain(secret);
        assertThat(new CreatedApiKey(described, key).toString()).doesNotContain(secret);
        assertThat(key.reveal()).isEqualTo(new String(text));
    }

    @Test
    void wipeLeavesNothingToReveal() {
        char[] text = KeyFormat.generate(new SecureRandom());
        PlaintextKey key = new PlaintextKey(KeyFormat.idOf(text), text);

        key.wipe();

        assertThat(key.reveal()).doesNotContain(new String(text).substring(18)).matches("\0+");
    }
}
