package io.otpgate.core.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statistical tests of the code generator with a real {@link SecureRandom}.
 *
 * <p>The uniformity tests are chi-squared tests at α = 0.001: a correct generator fails one about
 * once in a thousand runs. A biased one (modulo bias, a stuck position, dropped leading zeros)
 * fails every run: with 100,000 codes even a 3 % bias on one symbol of one position is visible.
 */
class CodeGeneratorTest {

    private static final int SAMPLES = 100_000;

    /**
     * The standard normal quantile z with P(Z > z) = 0.001 (Φ⁻¹(0.999)), from any normal table; the
     * upper tail of the chi-squared critical value is derived from it below.
     */
    private static final double Z_UPPER_0_001 = 3.090232306167813;

    @ParameterizedTest(name = "{0} × {1}")
    @CsvSource({"DIGITS, 4", "DIGITS, 6", "DIGITS, 10", "ALPHANUMERIC, 4", "ALPHANUMERIC, 8"})
    void everyCodeHasExactlyLengthSymbolsFromTheAlphabet(Alphabet alphabet, int length) {
        // given
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), alphabet, length);

        for (int i = 0; i < 2_000; i++) {
            // when
            String code = generator.next().reveal();

            // then
            assertThat(code).hasSize(length);
            for (char symbol : code.toCharArray()) {
                assertThat(alphabet.contains(symbol))
                        .as("symbol %s of %s", symbol, alphabet)
                        .isTrue();
            }
        }
    }

    @Test
    void leadingZerosAreKept() {
        // given
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), Alphabet.DIGITS, 6);

        // when
        int startingWithZero = 0;
        for (int i = 0; i < SAMPLES; i++) {
            String code = generator.next().reveal();
            assertThat(code).hasSize(6);
            if (code.charAt(0) == '0') {
                startingWithZero++;
            }
        }

        // then: one in ten, ± 0.6 % (more than six standard deviations of the sample share)
        assertThat((double) startingWithZero / SAMPLES).isCloseTo(0.10, within(0.006));
    }

    @Test
    void digitsAreUniformAtEveryPosition() {
        // given
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), Alphabet.DIGITS, 6);

        // when
        long[][] counts = countSymbolsPerPosition(generator, Alphabet.DIGITS, 6);

        // then: 6 positions × 9 degrees of freedom each = 54
        assertThat(chiSquared(counts)).isLessThan(chiSquaredCriticalValue(6 * (10 - 1)));
    }

    @Test
    void alphanumericSymbolsAreUniformAtEveryPosition() {
        // given
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), Alphabet.ALPHANUMERIC, 6);

        // when
        long[][] counts = countSymbolsPerPosition(generator, Alphabet.ALPHANUMERIC, 6);

        // then: 6 positions × 29 degrees of freedom each = 174
        assertThat(Alphabet.ALPHANUMERIC.size()).isEqualTo(30);
        assertThat(chiSquared(counts)).isLessThan(chiSquaredCriticalValue(6 * (30 - 1)));
    }

    @Test
    void codeToStringNeverContainsTheCode() {
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), Alphabet.ALPHANUMERIC, 6);

        for (int i = 0; i < 1_000; i++) {
            OneTimeCode code = generator.next();

            assertThat(code.toString()).doesNotContain(code.reveal()).contains("hidden");
        }
    }

    @Test
    void digitCodeToStringNeverContainsTheCode() {
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), Alphabet.DIGITS, 6);

        for (int i = 0; i < 1_000; i++) {
            OneTimeCode code = generator.next();

            assertThat(String.valueOf(code)).doesNotContain(code.reveal());
        }
    }

    @Test
    void wipedCodeNoLongerRevealsItsSymbols() {
        OneTimeCode code = OneTimeCode.of("123456".toCharArray());

        code.wipe();

        assertThat(code.reveal()).isEqualTo("\0".repeat(6));
    }

    @Test
    void lengthBelowOneIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CodeGenerator(new SecureRandom(), Alphabet.DIGITS, 0));
    }

    private static long[][] countSymbolsPerPosition(CodeGenerator generator, Alphabet alphabet, int length) {
        long[][] counts = new long[length][alphabet.size()];
        String symbols = symbolsOf(alphabet);
        for (int i = 0; i < SAMPLES; i++) {
            String code = generator.next().reveal();
            for (int position = 0; position < length; position++) {
                counts[position][symbols.indexOf(code.charAt(position))]++;
            }
        }
        return counts;
    }

    private static String symbolsOf(Alphabet alphabet) {
        StringBuilder symbols = new StringBuilder();
        for (int i = 0; i < alphabet.size(); i++) {
            symbols.append(alphabet.symbol(i));
        }
        return symbols.toString();
    }

    /** Σ (observed − expected)² / expected over every position × symbol cell. */
    private static double chiSquared(long[][] counts) {
        double statistic = 0;
        for (long[] position : counts) {
            double expected = (double) SAMPLES / position.length;
            for (long observed : position) {
                double difference = observed - expected;
                statistic += difference * difference / expected;
            }
        }
        return statistic;
    }

    /**
     * The chi-squared value exceeded with probability 0.001, by the Wilson–Hilferty approximation:
     * (χ²/k)^(1/3) is close to normal with mean 1 − 2/(9k) and variance 2/(9k), so the critical value
     * is k·(1 − 2/(9k) + z·√(2/(9k)))³. For k = 54 this gives 91.95 (exact: 91.87); for k = 174,
     * 237.43 (exact: 237.39): a hair above the exact values, never a stricter test.
     */
    private static double chiSquaredCriticalValue(int degreesOfFreedom) {
        double h = 2.0 / (9.0 * degreesOfFreedom);
        double cubeRoot = 1 - h + Z_UPPER_0_001 * Math.sqrt(h);
        return degreesOfFreedom * cubeRoot * cubeRoot * cubeRoot;
    }
}
