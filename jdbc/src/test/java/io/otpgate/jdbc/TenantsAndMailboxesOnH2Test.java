package io.otpgate.jdbc;

/** {@link TenantsAndMailboxesTest} on H2. */
class TenantsAndMailboxesOnH2Test extends TenantsAndMailboxesTest {
    TenantsAndMailboxesOnH2Test() {
        super(DatabaseKind.H2);
    }
}
