package io.otpgate.core.apikey;

import io.otpgate.core.Validated;
import io.otpgate.core.tenant.Tenant;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keys configured in {@code OTPGATE_API_KEYS}: kept in memory only as SHA-256 digests, never
 * written to the database.
 *
 * <p>Each gets a stable public id, {@code env_} and the first 8 base32 characters (40 bits) of a
 * SHA-256 of the key under a label of its own, so logs and rate limits can name a key without
 * revealing it, and the id is not a prefix of the digest that authenticates.
 */
final class EnvironmentKeys {

    static final int MIN_LENGTH = 32;
    static final String ID_PREFIX = "env_";
    private static final String ID_LABEL = "otpgate/env-key-id/v1:";

    private final List<byte[]> digests;
    private final List<ApiKey> keys;

    EnvironmentKeys(List<String> configured, Instant loadedAt) {
        // Keyed by id: the same key given twice is listed and checked once.
        Map<String, byte[]> unique = new LinkedHashMap<>();
        Map<String, Tenant> tenants = new LinkedHashMap<>();
        for (String entry : configured) {
            Entry parsed = Entry.parse(entry);
            String id = idOf(parsed.key());
            Tenant earlier = tenants.putIfAbsent(id, parsed.tenant());
            if (earlier != null && !earlier.equals(parsed.tenant())) {
                throw new IllegalArgumentException(
                        "one environment API key is given to two tenants, " + earlier + " and " + parsed.tenant());
            }
            unique.putIfAbsent(id, KeyFormat.sha256(parsed.key()));
        }
        this.digests = List.copyOf(unique.values());
        List<ApiKey> described = new ArrayList<>();
        int n = 1;
        for (String id : unique.keySet()) {
            described.add(new ApiKey(
                    id,
                    "environment key " + n++,
                    loadedAt,
                    Optional.empty(),
                    ApiKey.Source.ENVIRONMENT,
                    tenants.get(id)));
        }
        this.keys = List.copyOf(described);
    }

    /**
     * One entry of {@code OTPGATE_API_KEYS}: {@code TENANT:KEY}, or {@code KEY} alone for
     * {@link Tenant#DEFAULT}. Text before the first colon is a tenant only if it is a valid tenant
     * name; a key that happens to start that way must be given as {@code default:KEY}.
     */
    private record Entry(Tenant tenant, String key) {
        static Entry parse(String entry) {
            if (entry == null) {
                throw new IllegalArgumentException("an environment API key is missing");
            }
            int colon = entry.indexOf(':');
            Validated<Tenant> tenant = colon > 0 ? Tenant.parse(entry.substring(0, colon)) : Validated.invalid("");
            Entry parsed = tenant.isValid()
                    ? new Entry(tenant.orElseThrow(), entry.substring(colon + 1))
                    : new Entry(Tenant.DEFAULT, entry);
            if (parsed.key().length() < MIN_LENGTH) {
                throw new IllegalArgumentException(
                        "each environment API key must be at least " + MIN_LENGTH + " characters");
            }
            return parsed;
        }

        @Override
        public String toString() {
            return "Entry[" + tenant + ", key hidden]";
        }
    }

    static String idOf(String key) {
        return ID_PREFIX + KeyFormat.base32(KeyFormat.sha256(ID_LABEL + key), 8);
    }

    List<ApiKey> keys() {
        return keys;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    Optional<ApiKey> byId(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /**
     * The key equal to {@code presented}, comparing SHA-256 digests with {@link MessageDigest#isEqual}
     * against every key without stopping at a match: the time taken depends neither on how much of a
     * key was guessed right nor on which key matched.
     */
    Optional<ApiKey> match(String presented) {
        byte[] digest = KeyFormat.sha256(presented);
        int matched = -1;
        for (int i = 0; i < digests.size(); i++) {
            boolean equal = MessageDigest.isEqual(digest, digests.get(i));
            matched = equal ? i : matched;
        }
        return matched < 0 ? Optional.empty() : Optional.of(keys.get(matched));
    }
}
