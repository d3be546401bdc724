package io.otpgate.jdbc;

/** {@link IdempotencyTest} on H2. */
class IdempotencyOnH2Test extends IdempotencyTest {
    IdempotencyOnH2Test() {
        super(DatabaseKind.H2);
    }
}
