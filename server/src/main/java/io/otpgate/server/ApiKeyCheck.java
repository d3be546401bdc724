package io.otpgate.server;

import java.util.Optional;

/** Who, if anyone, a presented API key belongs to: the key's public id and tenant, never the key. */
public interface ApiKeyCheck {

    Optional<ApiCaller> caller(String presented);

    /**
     * Whether the key with this public id can still authenticate: asked by the dashboard on every
     * request of a session started with it, so revoking the key ends the session.
     */
    boolean active(String keyId);
}
