package io.otpgate.core.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} events per {@code window} for one key in one scope, counted in the shared
 * database so that the limit holds across processes.
 *
 * @param scope what is counted, such as {@code recipient} (emails to an address) or {@code ip}
 * @param key whom it is counted for (the canonical address, the client IP, …)
 */
public record RateLimit(String scope, String key, int max, Duration window) {

    // Every scope is named here: all of them share one table of buckets, keyed "scope:key".

    /** Emails to one mailbox in one tenant; the key is {@code tenant:mailbox key}. */
    public static final String RECIPIENT = "recipient";

    /** Emails to one mailbox across all tenants; the key is the mailbox key without a {@code +tag}. */
    public static final String RECIPIENT_CEILING = "recipient_all";

    /** Starts per end-user IP: on the hosted pages, and through the API when the caller passes it. */
    public static final String IP = "ip";

    /** Code checks, link confirmations and resends per client IP on the hosted pages. */
    public static final String IP_CHECK = "ip_check";

    /** Starts per API key; the key is the API key's id. */
    public static final String API_KEY = "key";

    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs max >= 1 and a positive window");
        }
    }

    /** The database key: scope and key, never ambiguous because scopes contain no colon. */
    public String bucket() {
        return scope + ":" + key;
    }
}
