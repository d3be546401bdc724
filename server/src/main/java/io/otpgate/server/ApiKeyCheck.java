package io.otpgate.server;

import java.util.Optional;

/** Who, if anyone, a presented API key belongs to: the key's public id and tenant, never the key. */
@FunctionalInterface
public interface ApiKeyCheck {
    Optional<ApiCaller> caller(String presented);
}
