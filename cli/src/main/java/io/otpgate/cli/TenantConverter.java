package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.tenant.Tenant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --tenant NAME}, refusing a malformed name with the rule it broke. */
final class TenantConverter implements ITypeConverter<Tenant> {
    @Override
    public Tenant convert(String value) {
        Validated<Tenant> tenant = Tenant.parse(value);
        if (tenant instanceof Validated.Invalid<Tenant> invalid) {
            throw new TypeConversionException(invalid.reason());
        }
        return tenant.orElseThrow();
    }
}
