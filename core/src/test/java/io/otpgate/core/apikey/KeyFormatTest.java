package io.otpgate.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFormatTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aGeneratedKeyIsPrefixIdAndA160BitSecret() {
        String key = new String(KeyFormat.generate(random));

        assertThat(key).matches("otpk_[0-9a-hjkmnp-tv-z]{12}_[0-9a-hjkmnp-tv-z]{32}");
        assertThat(KeyFormat.SECRET_LENGTH * 5).as("bits of secret").isEqualTo(160);
    }

    @Test
    void theIdOfAGeneratedKeyIsReadBackFromItsText() {
        char[] key = KeyFormat.generate(random);

        assertThat(KeyFormat.idOf(new String(key))).contains(KeyFormat.idOf(key));
        assertThat(KeyFormat.isId(KeyFormat.idOf(key))).isTrue();
    }

    @Test
    void generatedKeysAndIdsDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            char[] key = KeyFormat.generate(random);
            keys.add(new String(key));
            ids.add(KeyFormat.idOf(key));
        }

        assertThat(keys).hasSize(10_000);
        assertThat(ids).hasSize(10_000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "otpk_",
                "otpk_0123456789ab",
                "otpk_0123456789ab_",
                "OTPK_0123456789AB_0123456789abcdefghjkmnpqrstvwxyz",
                "otpk_0123456789AB_0123456789abcdefghjkmnpqrstvwxyz",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxy",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyzz",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyi",
                "otpk_0123456789ab-0123456789abcdefghjkmnpqrstvwxyz",
                " otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz\n",
                "otpk_' OR '1'='1_0123456789abcdefghjkmnpqrstvwxyz",
                "Bearer otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz",
                "xxxx_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz",
            })
    void onlyTheExactStoredKeyShapeYieldsAnId(String presented) {
        assertThat(KeyFormat.idOf(presented)).isEmpty();
    }

    @Test
    void aWellShapedKeyYieldsItsId() {
        assertThat(KeyFormat.idOf("otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz"))
                .contains("0123456789ab");
    }

    @Test
    void theHashIsSha256OfTheWholeKey() throws Exception {
        char[] key = KeyFormat.generate(random);

        byte[] expected =
                MessageDigest.getInstance("SHA-256").digest(new String(key).getBytes(StandardCharsets.US_ASCII));

        assertThat(KeyFormat.sha256(key)).isEqualTo(expected).isEqualTo(KeyFormat.sha256(new String(key)));
    }

    @Test
    void base32MatchesRfc4648BitOrderWithTheCrockfordAlphabet() {
        // 0xFF 0x00 0xFF 0x00 0xFF = 11111 11100 00000 01111 11110 00000 00111 11111
        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xff, 0x00, (byte) 0xff};

        assertThat(KeyFormat.base32(bytes, 8)).isEqualTo("zw0fy07z");
    }
}
