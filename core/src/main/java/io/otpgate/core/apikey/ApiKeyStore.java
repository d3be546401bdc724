package io.otpgate.core.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stored API keys: each as its id, name, times and SHA-256 hash, never the key itself (a port; the
 * JDBC adapter implements it). Every method is one transaction, committed before it returns.
 */
public interface ApiKeyStore {

    /** Adds a new, active key; {@code key.source()} is {@link ApiKey.Source#STORED}. */
    void insert(ApiKey key, byte[] keyHash);

    /** The key and its hash, revoked or not. */
    Optional<StoredKey> findById(String id);

    /** Every stored key, revoked ones included, oldest first; no hashes. */
    List<ApiKey> list();

    /**
     * Revokes a key in one conditional update ({@code … WHERE revoked_at IS NULL}); true only for the
     * call that revoked it, false if it was already revoked or does not exist.
     */
    boolean revoke(String id, Instant now);

    /** How many stored keys are not revoked. */
    int countActive();

    /** A stored key with the hash it is checked against. */
    record StoredKey(ApiKey key, byte[] keyHash) {

        public StoredKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyHash, "keyHash");
            keyHash = keyHash.clone();
        }

        @Override
        public byte[] keyHash() {
            return keyHash.clone();
        }

        @Override
        public String toString() {
            return "StoredKey[" + key + ", hash hidden]";
        }
    }
}
