package io.otpgate.server;

import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.tenant.Tenant;
import java.util.Objects;

/**
 * Who made an API request: the public id of the key it presented (never the key), the tenant that
 * key belongs to, whose verifications are the only ones the request can see, and what the key may do.
 */
public record ApiCaller(String keyId, Tenant tenant, ApiKey.Scope scope) {
    public ApiCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(scope, "scope");
    }

    /** A caller with a key of full scope. */
    public ApiCaller(String keyId, Tenant tenant) {
        this(keyId, tenant, ApiKey.Scope.FULL);
    }
}
