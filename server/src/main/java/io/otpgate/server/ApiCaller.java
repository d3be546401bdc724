package io.otpgate.server;

import io.otpgate.core.tenant.Tenant;
import java.util.Objects;

/**
 * Who made an API request: the public id of the key it presented (never the key) and the tenant
 * that key belongs to, whose verifications are the only ones the request can see.
 */
public record ApiCaller(String keyId, Tenant tenant) {
    public ApiCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
    }
}
