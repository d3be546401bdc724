package io.otpgate.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.otpgate.core.code.Alphabet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTest {

    @Test
    void defaultsMatchTheDesign() {
        Policy policy = Policy.defaults();

        assertThat(policy.codeLength()).isEqualTo(6);
        assertThat(policy.alphabet()).isEqualTo(Alphabet.DIGITS);
        assertThat(policy.codeTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.maxSends()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.recipientHourlyLimit()).isEqualTo(10);
        assertThat(policy.recipientFailureLimit()).isEqualTo(20);
        assertThat(policy.recipientLock()).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 6, 10})
    void codeLengthFrom4To10IsAccepted(int length) {
        Policy policy = withLength(length);

        assertThat(policy.codeLength()).isEqualTo(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 11, -6})
    void codeLengthOutside4To10IsRefused(int length) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> withLength(length))
                .withMessageContaining("between 4 and 10")
                .withMessageContaining(String.valueOf(length));
    }

    @Test
    void lifetimeOf24HoursIsAccepted() {
        assertThat(withTtl(Duration.ofHours(24)).codeTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void lifetimeAbove24HoursIsRefusedNaming24h() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> withTtl(Duration.ofHours(24).plusSeconds(1)))
                .withMessageContaining("24h");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -60})
    void lifetimeThatIsNotPositiveIsRefused(long seconds) {
        assertThatIllegalArgumentException().isThrownBy(() -> withTtl(Duration.ofSeconds(seconds)));
    }

    @Test
    void zeroAttemptsAreRefused() {
        Policy d = Policy.defaults();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Policy(
                        d.codeLength(),
                        d.alphabet(),
                        d.codeTtl(),
                        0,
                        d.maxSends(),
                        d.resendCooldown(),
                        d.recipientHourlyLimit(),
                        d.recipientFailureLimit(),
                        d.recipientLock()));
    }

    @Test
    void defaultsHaveNoWeaknesses() {
        assertThat(Policy.defaults().weaknesses()).isEmpty();
    }

    @Test
    void fourDigitCodesWarnWithTheAttackersOdds() {
        // given 3 attempts on 4 digits: 3 / 10^4
        Policy policy = withLength(4);

        // when
        String warning = String.join("\n", policy.weaknesses());

        // then
        assertThat(warning).contains("4 digits");
        assertThat(warning).containsAnyOf("0.00030", "3.0e-04", "3.0E-04");
    }

    @Test
    void lifetimeAboveOneHourWarns() {
        Policy policy = withTtl(Duration.ofHours(2));

        assertThat(policy.weaknesses()).anySatisfy(w -> assertThat(w).contains("2h"));
    }

    @Test
    void attackerSuccessForDefaultsIsThreeInAMillion() {
        assertThat(Policy.defaults().attackerSuccessPerVerification()).isCloseTo(3e-6, withinPercentage(0.001));
    }

    @Test
    void attackerSuccessForAlphanumericCountsThirtySymbols() {
        Policy d = Policy.defaults();
        Policy alphanumeric = new Policy(
                6,
                Alphabet.ALPHANUMERIC,
                d.codeTtl(),
                d.maxAttempts(),
                d.maxSends(),
                d.resendCooldown(),
                d.recipientHourlyLimit(),
                d.recipientFailureLimit(),
                d.recipientLock());

        assertThat(alphanumeric.attackerSuccessPerVerification())
                .isCloseTo(3 / Math.pow(30, 6), withinPercentage(0.001));
    }

    private static Policy withLength(int length) {
        Policy d = Policy.defaults();
        return new Policy(
                length,
                d.alphabet(),
                d.codeTtl(),
                d.maxAttempts(),
                d.maxSends(),
                d.resendCooldown(),
                d.recipientHourlyLimit(),
                d.recipientFailureLimit(),
                d.recipientLock());
    }

    private static Policy withTtl(Duration ttl) {
        Policy d = Policy.defaults();
        return new Policy(
                d.codeLength(),
                d.alphabet(),
                ttl,
                d.maxAttempts(),
                d.maxSends(),
                d.resendCooldown(),
                d.recipientHourlyLimit(),
                d.recipientFailureLimit(),
                d.recipientLock());
    }
}
