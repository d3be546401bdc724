package io.otpgate.cli;

import io.otpgate.core.tenant.Tenant;

/** Reads {@code --tenant NAME}, refusing a malformed name with the rule it broke. */
final class TenantConverter extends ValidatedConverter<Tenant> {
    TenantConverter() {
        super(Tenant::parse);
    }
}
