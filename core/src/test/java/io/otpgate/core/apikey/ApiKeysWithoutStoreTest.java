package io.otpgate.core.apikey;

import static io.otpgate.core.testing.Refusals.reasonFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ApiKeys} decides without the database: malformed input and environment keys. The
 * store here fails the test if it is touched at all. Stored keys are tested on H2 in the jdbc module.
 */
class ApiKeysWithoutStoreTest {

    private static final String ENV_KEY = "an-environment-key-of-at-least-32-characters";
    private static final String OTHER_ENV_KEY = "another-environment-key-0123456789abcdef";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

    private ApiKeys keys(String... environment) {
        return ApiKeys.builder()
                .store(new UntouchableStore())
                .environmentKeys(List.of(environment))
                .clock(clock)
                .build();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "null",
                "Bearer",
                "otpk_",
                "otpk__",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxy",
                "OTPK_0123456789AB_0123456789ABCDEFGHJKMNPQRSTVWXYZ",
                "otpk_0123456789ab_0123456789abcdefghjkmnpqrstvwxyz ",
                "otpk_0123456789a'; DROP TABLE api_keys; --_0123456789",
                "an-environment-key-of-at-least-32-characterS",
                "an-environment-key-of-at-least-32-character",
                "an-environment-key-of-at-least-32-characterss",
            })
    void malformedKeysAreRefusedWithoutAQuery(String presented) {
        assertThat(keys(ENV_KEY).authenticate(presented)).isEmpty();
    }

    @Test
    void aMissingKeyIsRefused() {
        assertThat(keys(ENV_KEY).authenticate(null)).isEmpty();
    }

    @Test
    void environmentKeysAuthenticateWithoutTheStore() {
        ApiKeys keys = keys(ENV_KEY, OTHER_ENV_KEY);

        Optional<ApiKey> first = keys.authenticate(ENV_KEY);
        Optional<ApiKey> second = keys.authenticate(OTHER_ENV_KEY);

        assertThat(first).hasValueSatisfying(k -> assertThat(k.source()).isEqualTo(ApiKey.Source.ENVIRONMENT));
        assertThat(second).isPresent();
        assertThat(first.get().id()).isNotEqualTo(second.get().id());
    }

    @Test
    void anEnvironmentEntryNamesItsTenantAndAKeyAloneBelongsToDefault() {
        ApiKeys keys = keys("acme:" + ENV_KEY, OTHER_ENV_KEY);

        assertThat(keys.authenticate(ENV_KEY).orElseThrow().tenant()).isEqualTo(new Tenant("acme"));
        assertThat(keys.authenticate("acme:" + ENV_KEY))
                .as("the tenant is not part of the key")
                .isEmpty();
        assertThat(keys.authenticate(OTHER_ENV_KEY).orElseThrow().tenant()).isEqualTo(Tenant.DEFAULT);
    }

    @Test
    void oneEnvironmentKeyForTwoTenantsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> keys("acme:" + ENV_KEY, "globex:" + ENV_KEY))
                .withMessageContaining("two tenants")
                .withMessageNotContaining(ENV_KEY);
    }

    @Test
    void aTenantPrefixDoesNotMakeAShortKeyLongEnough() {
        assertThatIllegalArgumentException().isThrownBy(() -> keys("acme:" + ENV_KEY.substring(0, 31)));
    }

    @Test
    void environmentKeyIdsAreStableAndRevealNothingOfTheKey() {
        String id = keys(ENV_KEY).authenticate(ENV_KEY).orElseThrow().id();
        clock.advance(Duration.ofDays(3));

        String again =
                keys(OTHER_ENV_KEY, ENV_KEY).authenticate(ENV_KEY).orElseThrow().id();

        assertThat(again).isEqualTo(id).matches("env_[0-9a-hjkmnp-tv-z]{8}");
        for (int i = 0; i + 4 <= ENV_KEY.length(); i++) {
            assertThat(id).doesNotContain(ENV_KEY.substring(i, i + 4));
        }
    }

    @Test
    void theSameEnvironmentKeyGivenTwiceIsListedOnce() {
        assertThat(keys(ENV_KEY, ENV_KEY).list())
                .singleElement()
                .satisfies(k -> assertThat(k.name()).isEqualTo("environment key 1"));
    }

    @Test
    void anEnvironmentKeyShorterThan32CharactersIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> keys("0123456789012345678901234567890"))
                .withMessageContaining("at least 32");
    }

    @Test
    void anEnvironmentKeyCannotBeRevokedHere() {
        ApiKeys keys = keys(ENV_KEY);
        String id = keys.authenticate(ENV_KEY).orElseThrow().id();

        assertThat(keys.revoke(id)).isInstanceOf(RevokeResult.FromEnvironment.class);
        assertThat(keys.authenticate(ENV_KEY)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "env_", "../../etc/passwd", "0123456789AB", "0123456789abc", "' OR 1=1 --"})
    void revokingAMalformedIdFindsNothingWithoutAQuery(String id) {
        assertThat(keys(ENV_KEY).revoke(id)).isInstanceOf(RevokeResult.NotFound.class);
    }

    @Test
    void keyNamesAreTrimmedAndCheckedForWhatATerminalWouldObey() {
        assertThat(ApiKeys.checkName("  ci deploy  ").orElseThrow()).isEqualTo("ci deploy");
        assertThat(ApiKeys.checkName("Zahlungs-Dienst \u00e9\u00e8 \u4e2d\u6587 \ud83d\udd11")
                        .isValid())
                .isTrue();
        assertThat(reasonFor(ApiKeys.checkName("   "))).contains("empty");
        assertThat(reasonFor(ApiKeys.checkName("x".repeat(101)))).contains("longer than 100");
        assertThat(reasonFor(ApiKeys.checkName("ci\u001b[2Jcleared"))).contains("U+001B");
        assertThat(reasonFor(ApiKeys.checkName("ci\nsecond line"))).contains("U+000A");
        assertThat(reasonFor(ApiKeys.checkName("\u202eevil"))).contains("U+202E");
    }

    @Test
    void anEnvironmentKeyCannotCarryARevocation() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ApiKey(
                        "env_abcdefgh",
                        "environment key 1",
                        Instant.EPOCH,
                        Optional.of(Instant.EPOCH),
                        ApiKey.Source.ENVIRONMENT,
                        Tenant.DEFAULT));
    }

    /** Fails the test on any call: proves a decision was made without the database. */
    private static final class UntouchableStore implements ApiKeyStore {

        @Override
        public void insert(ApiKey key, byte[] keyHash) {
            throw touched();
        }

        @Override
        public Optional<StoredKey> findById(String id) {
            throw touched();
        }

        @Override
        public List<ApiKey> list() {
            return List.of();
        }

        @Override
        public boolean revoke(String id, Instant now) {
            throw touched();
        }

        @Override
        public int countActive() {
            throw touched();
        }

        private static AssertionError touched() {
            return new AssertionError("the store was queried");
        }
    }
}
