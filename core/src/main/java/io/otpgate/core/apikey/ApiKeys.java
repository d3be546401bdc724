package io.otpgate.core.apikey;

import io.otpgate.core.Validated;
import io.otpgate.core.tenant.Tenant;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: creates, lists, revokes and authenticates them.
 *
 * <p>Two kinds exist side by side. <b>Stored</b> keys, {@code otpk_<id>_<secret>}, are created
 * here; the plaintext is returned once and the database keeps only its SHA-256 (see
 * {@link CreatedApiKey}). <b>Environment</b> keys come from {@code OTPGATE_API_KEYS}, any text of
 * at least 32 characters; they live only in this process's memory, as digests.
 *
 * <p>Every {@link #authenticate} of a stored key reads the database, so a revocation takes effect
 * at once in every process. Thread-safe. Build one with {@link #builder()}.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    static final int MAX_NAME_LENGTH = 100;

    private final ApiKeyStore store;
    private final EnvironmentKeys environment;
    private final Clock clock;
    private final SecureRandom random;

    private ApiKeys(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.clock = b.clock;
        this.random = b.random;
        this.environment = new EnvironmentKeys(b.environmentKeys, clock.instant());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a stored key. The plaintext in the result is the only copy there will ever be.
     *
     * @param name what the operator calls it; check untrusted input with {@link #checkName} first
     * @param tenant whose verifications the key will start and see
     * @throws IllegalArgumentException if the name is refused by {@link #checkName}
     */
    public CreatedApiKey create(String name, Tenant tenant) {
        return create(name, tenant, ApiKey.Scope.FULL);
    }

    /** A new key of {@code scope} for {@code tenant}; see {@link #create(String, Tenant)}. */
    public CreatedApiKey create(String name, Tenant tenant, ApiKey.Scope scope) {
        Objects.requireNonNull(tenant, "tenant");
        String checked = checkName(name).orElseThrow();
        char[] text = KeyFormat.generate(random);
        try {
            ApiKey key = new ApiKey(
                    KeyFormat.idOf(text),
                    checked,
                    clock.instant(),
                    Optional.empty(),
                    ApiKey.Source.STORED,
                    tenant,
                    scope);
            store.insert(key, KeyFormat.sha256(text));
            log.info(
                    "api key created id={} name={} tenant={} scope={}", key.id(), key.name(), tenant, scope.wireName());
            return new CreatedApiKey(key, new PlaintextKey(key.id(), text));
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    /**
     * Creates a stored key only if no key exists at all: no active stored key and no environment
     * key. This is the first-start bootstrap, so that a fresh installation is never open and never
     * unusable. The key belongs to {@link Tenant#DEFAULT}. Two processes that call it at the same moment may both create one; the caller that
     * publishes the plaintext decides which survives (see the CLI's {@code ApiKeyBootstrap}).
     */
    public Optional<CreatedApiKey> createIfNone(String name) {
        return anyActive() ? Optional.empty() : Optional.of(create(name, Tenant.DEFAULT));
    }

    /**
     * Whether the key with this public id can still authenticate: an environment key, or a stored
     * key not revoked. What a session started with a key (the dashboard's) asks on every request,
     * so revoking the key ends it.
     */
    public boolean active(String id) {
        if (environment.keys().stream().anyMatch(key -> key.id().equals(id))) {
            return true;
        }
        return store.findById(id).map(stored -> stored.key().active()).orElse(false);
    }

    /** True when at least one key can authenticate: an environment key or an active stored key. */
    public boolean anyActive() {
        return !environment.isEmpty() || store.countActive() > 0;
    }

    /** Stored keys (oldest first, revoked ones included), then environment keys. Never a secret or hash. */
    public List<ApiKey> list() {
        List<ApiKey> all = new ArrayList<>(store.list());
        all.addAll(environment.keys());
        return List.copyOf(all);
    }

    /** Revokes a stored key by id; requests with it are refused from the next one on. */
    public RevokeResult revoke(String id) {
        Objects.requireNonNull(id, "id");
        Optional<ApiKey> fromEnvironment = environment.byId(id);
        if (fromEnvironment.isPresent()) {
            return new RevokeResult.FromEnvironment(fromEnvironment.get());
        }
        if (!KeyFormat.isId(id)) {
            return new RevokeResult.NotFound();
        }
        boolean revoked = store.revoke(id, clock.instant());
        Optional<ApiKey> key = store.findById(id).map(ApiKeyStore.StoredKey::key);
        if (key.isEmpty()) {
            return new RevokeResult.NotFound();
        }
        if (revoked) {
            log.info("api key revoked id={} name={}", id, key.get().name());
            return new RevokeResult.Revoked(key.get());
        }
        return new RevokeResult.AlreadyRevoked(key.get());
    }

    /**
     * The key a caller presented (the text after {@code Bearer }), if it is an environment key or an
     * active stored key; empty otherwise. Text that is not shaped like a stored key is refused
     * without a database query. Comparisons are of SHA-256 digests with
     * {@link MessageDigest#isEqual}, so timing tells nothing about how close a guess was.
     */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Optional<ApiKey> fromEnvironment = environment.match(presented);
        if (fromEnvironment.isPresent()) {
            return fromEnvironment;
        }
        Optional<String> id = KeyFormat.idOf(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiKeyStore.StoredKey> stored = store.findById(id.get());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        boolean matches =
                MessageDigest.isEqual(KeyFormat.sha256(presented), stored.get().keyHash());
        ApiKey key = stored.get().key();
        return matches && key.active() ? Optional.of(key) : Optional.empty();
    }

    /**
     * Trims a key name and checks it: 1 to 100 characters, no control or format characters (a name is
     * printed on the operator's terminal, where those could rewrite what is shown).
     */
    public static Validated<String> checkName(String input) {
        if (input == null || input.isBlank()) {
            return Validated.invalid("the key name is empty");
        }
        String name = input.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            return Validated.invalid("the key name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            int type = Character.getType(name.charAt(i));
            if (type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return Validated.invalid(
                        String.format("the key name contains a control character (U+%04X)", (int) name.charAt(i)));
            }
        }
        return Validated.valid(name);
    }

    /** Builds {@link ApiKeys}; only the store is required. */
    public static final class Builder {
        private ApiKeyStore store;
        private List<String> environmentKeys = List.of();
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();

        private Builder() {}

        public Builder store(ApiKeyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Entries of {@code OTPGATE_API_KEYS}: {@code TENANT:KEY}, or just {@code KEY} for
         * {@link Tenant#DEFAULT}; each key at least 32 characters; duplicates count once.
         */
        public Builder environmentKeys(List<String> keys) {
            this.environmentKeys = List.copyOf(Objects.requireNonNull(keys, "keys"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @throws IllegalArgumentException if an environment key is shorter than 32 characters, or one
         *     key is given to two tenants
         */
        public ApiKeys build() {
            return new ApiKeys(this);
        }
    }
}
