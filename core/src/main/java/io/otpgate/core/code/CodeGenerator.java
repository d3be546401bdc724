package io.otpgate.core.code;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Draws codes uniformly from an alphabet.
 *
 * <p>Each symbol is {@code SecureRandom.nextInt(alphabet.size())}, which rejects out-of-range
 * draws internally, so there is no modulo bias; symbols are drawn one by one, so leading zeros are
 * as likely as any other digit and are kept.
 */
public final class CodeGenerator {

    private final SecureRandom random;
    private final Alphabet alphabet;
    private final int length;

    public CodeGenerator(SecureRandom random, Alphabet alphabet, int length) {
        this.random = Objects.requireNonNull(random, "random");
        this.alphabet = Objects.requireNonNull(alphabet, "alphabet");
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive");
        }
        this.length = length;
    }

    public OneTimeCode next() {
        char[] symbols = new char[length];
        for (int i = 0; i < length; i++) {
            symbols[i] = alphabet.symbol(random.nextInt(alphabet.size()));
        }
        OneTimeCode code = new OneTimeCode(symbols);
        java.util.Arrays.fill(symbols, '\0');
        return code;
    }
}
