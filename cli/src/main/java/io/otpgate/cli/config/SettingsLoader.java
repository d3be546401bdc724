package io.otpgate.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.otpgate.core.code.Alphabet;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.policy.DurationText;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.retention.Purger;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.LanguageTags;
import io.otpgate.jdbc.Sync;
import io.otpgate.server.MetricsToken;
import io.otpgate.server.RedirectUris;
import io.otpgate.server.ServerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@link Settings}: environment variables {@code OTPGATE_*} override the YAML file
 * ({@code --config FILE}, else {@code otpgate.yml} in the working directory, if present), which
 * overrides the defaults. In the file each key is the variable's name without the prefix, in
 * lower case: {@code OTPGATE_SMTP_HOST} is {@code smtp_host}.
 *
 * <p>Every problem is collected and reported at once, with the variable's name, so an operator
 * fixes a configuration in one round rather than one error per restart.
 */
public final class SettingsLoader {

    public static final String PREFIX = "OTPGATE_";
    static final String DEFAULT_FILE = "otpgate.yml";
    static final int API_KEY_MIN_LENGTH = 32;

    /** Every setting this version knows, with its default ({@code null}: unset). */
    static final Map<String, String> DEFAULTS = defaults();

    /**
     * Variables read before the configuration is: by the launcher script ({@code OTPGATE_JAVA_OPTS})
     * and by the logging set-up ({@code OTPGATE_LOG_LEVEL}). Known, so not refused; not settings.
     */
    static final Set<String> READ_ELSEWHERE = Set.of("JAVA_OPTS", "LOG_LEVEL");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader() {}

    /**
     * Every variable read, with its default where it has one, one per line: for {@code serve --help},
     * from the same table the loader checks names against, so the two never disagree.
     */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        DEFAULTS.forEach((name, value) -> lines.add(PREFIX + name + (value == null ? "" : " (default " + value + ")")));
        READ_ELSEWHERE.stream()
                .sorted()
                .forEach(name -> lines.add(PREFIX + name + " (read by the launcher or logging)"));
        return lines;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("CODE_LENGTH", "6");
        d.put("CODE_ALPHABET", "digits");
        d.put("CODE_TTL", "10m");
        d.put("MAX_ATTEMPTS", "3");
        d.put("MAX_SENDS", "5");
        d.put("RESEND_COOLDOWN", "30s");
        d.put("RECIPIENT_HOURLY_LIMIT", "10");
        d.put("PAGES_RECIPIENT_HOURLY_LIMIT", Integer.toString(Policy.DEFAULT_PAGES_RECIPIENT_HOURLY_LIMIT));
        d.put("RECIPIENT_HOURLY_CEILING", Integer.toString(Policy.DEFAULT_RECIPIENT_HOURLY_CEILING));
        d.put("RECIPIENT_FAILURE_LIMIT", "20");
        d.put("RECIPIENT_LOCK", "1h");
        d.put("DATA_DIR", "./otpgate-data");
        d.put("DB_URL", null);
        d.put("DB_USER", null);
        d.put("DB_PASSWORD", null);
        d.put("DB_POOL_SIZE", "10");
        d.put("DB_SYNC", "full");
        d.put("SECRET", null);
        d.put("API_KEYS", null);
        d.put("SMTP_HOST", null);
        d.put("SMTP_PORT", null);
        d.put("SMTP_TLS", "starttls");
        d.put("SMTP_USERNAME", null);
        d.put("SMTP_PASSWORD", null);
        d.put("SMTP_CA_FILE", null);
        d.put("MAIL_FROM", "OTPGate <no-reply@localhost>");
        d.put("BRAND", "OTPGate");
        d.put("DEFAULT_LOCALE", "en");
        d.put("CODE_IN_SUBJECT", "true");
        d.put("TEMPLATES_DIR", null);
        d.put("PUBLIC_URL", null);
        d.put("DELIVERY_WORKERS", "4");
        d.put("DELIVERY_ALERT_AGE", "2m");
        d.put("LEASE", DurationText.format(OutboxDispatcher.DEFAULT_LEASE));
        d.put("RETENTION", "7d");
        d.put("WEBHOOK_ALLOW_PRIVATE", "false");
        d.put("HOST", null);
        d.put("PORT", "8080");
        d.put("CORS_ORIGINS", null);
        d.put("METRICS_TOKEN", null);
        d.put("TRUSTED_PROXIES", null);
        d.put("IP_START_LIMIT", "30");
        d.put("KEY_START_LIMIT", null);
        d.put("IP_CHECK_LIMIT", Integer.toString(ServerSettings.DEFAULT_IP_CHECK_LIMIT));
        d.put("REDIRECT_URIS", null);
        d.put("DEV_MAILBOX_PUBLIC", "false");
        d.put("PAGES", "on");
        return d;
    }

    /**
     * @param env the process environment (only {@code OTPGATE_*} entries are read)
     * @param configFile an explicit file; when empty, {@code otpgate.yml} in {@code workingDir} if it exists
     * @throws ConfigurationException listing every problem found
     */
    public static Settings load(Map<String, String> env, Optional<Path> configFile, Path workingDir) {
        SettingsLoader loader = new SettingsLoader();
        loader.values.putAll(DEFAULTS);
        Optional<Path> file = configFile.or(
                () -> Optional.of(workingDir.resolve(DEFAULT_FILE)).filter(Files::isRegularFile));
        file.ifPresent(loader::readFile);
        loader.readEnvironment(env);
        Settings settings = loader.build(workingDir);
        if (!loader.problems.isEmpty()) {
            throw new ConfigurationException(loader.problems);
        }
        return settings;
    }

    private void readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            problems.add(file + ": cannot be read as YAML ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            problems.add(file + ": expected keys and values, such as smtp_host: smtp.example.com");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey().toUpperCase(Locale.ROOT);
            if (!DEFAULTS.containsKey(name)) {
                problems.add(file + ": unknown setting '" + field.getKey() + "'"
                        + SettingNames.closest(name, DEFAULTS.keySet())
                                .map(n -> "; did you mean " + n.toLowerCase(Locale.ROOT) + "?")
                                .orElse(SEE_HELP));
            } else if (field.getValue().isContainerNode()) {
                problems.add(file + ": '" + field.getKey() + "' must be a single value");
            } else {
                values.put(
                        name,
                        field.getValue().isNull() ? null : field.getValue().asText());
            }
        }
    }

    /**
     * A misspelt variable is refused rather than ignored: ignoring {@code OTPGATE_SMTP_HOTS} is how
     * an operator ends up in dev mode, with every code on a web page.
     */
    private void readEnvironment(Map<String, String> env) {
        Set<String> known = DEFAULTS.keySet();
        env.keySet().stream().sorted().forEach(key -> {
            if (key.startsWith(PREFIX)) {
                String name = key.substring(PREFIX.length());
                String value = env.get(key);
                if (known.contains(name)) {
                    values.put(name, value.isEmpty() ? null : value);
                } else if (!READ_ELSEWHERE.contains(name)) {
                    problems.add("unknown setting " + key
                            + SettingNames.closest(name, known)
                                    .map(n -> "; did you mean " + PREFIX + n + "?")
                                    .orElse(SEE_HELP));
                }
            }
        });
    }

    private static final String SEE_HELP = " (otpgate serve --help lists the settings)";

    private Settings build(Path workingDir) {
        Policy policy = policy();
        Path dataDir =
                workingDir.resolve(text("DATA_DIR").orElse("./otpgate-data")).normalize();
        Locale locale = parse("DEFAULT_LOCALE", t -> LanguageTags.parse(t).orElseThrow(), Locale.ENGLISH);
        String tls = text("SMTP_TLS").orElse("starttls").toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "ssl", "none").contains(tls)) {
            problems.add(PREFIX + "SMTP_TLS: must be starttls, ssl or none, got '" + tls + "'");
        }
        Optional<URI> publicUrl = publicUrl();
        return new Settings(
                policy == null ? Policy.defaults() : policy,
                dataDir,
                text("DB_URL"),
                text("DB_USER"),
                text("DB_PASSWORD"),
                positive("DB_POOL_SIZE"),
                dbSync(),
                text("SECRET"),
                apiKeys(),
                text("SMTP_HOST"),
                text("SMTP_PORT").map(p -> positive("SMTP_PORT")),
                tls,
                text("SMTP_USERNAME"),
                text("SMTP_PASSWORD"),
                text("SMTP_CA_FILE").map(p -> workingDir.resolve(p).normalize()),
                text("MAIL_FROM").orElse("OTPGate <no-reply@localhost>"),
                text("BRAND").orElse("OTPGate"),
                locale,
                parse("CODE_IN_SUBJECT", SettingsLoader::bool, true),
                templatesDir(workingDir),
                publicUrl,
                positive("DELIVERY_WORKERS"),
                parse("DELIVERY_ALERT_AGE", DurationText::parse, Duration.ofMinutes(2)),
                lease(),
                retention(),
                parse("WEBHOOK_ALLOW_PRIVATE", SettingsLoader::bool, false),
                server(publicUrl));
    }

    /** When the embedded store's commits reach the disk: {@code full} (power-safe) or {@code normal}. */
    private Sync dbSync() {
        String value = text("DB_SYNC").orElse("full");
        Optional<Sync> sync = Sync.parse(value);
        if (sync.isEmpty()) {
            problems.add(PREFIX + "DB_SYNC: must be full or normal, got '" + value + "'");
        }
        return sync.orElse(Sync.FULL);
    }

    private ServerSettings server(Optional<URI> publicUrl) {
        int port = parse("PORT", Integer::parseInt, 8080);
        if (port < 0 || port > 65_535) {
            problems.add(PREFIX + "PORT: must be between 0 (any free port) and 65535, got " + port);
            port = 8080;
        }
        return new ServerSettings(
                host(),
                port,
                list("CORS_ORIGINS"),
                list("TRUSTED_PROXIES"),
                positive("IP_START_LIMIT"),
                text("KEY_START_LIMIT").map(k -> positive("KEY_START_LIMIT")),
                text("BRAND").orElse("OTPGate"),
                redirectUris(),
                positive("IP_CHECK_LIMIT"),
                // Behind a proxy that ends TLS the request itself is plain HTTP; the public URL says what
                // the browser sees.
                publicUrl.map(url -> "https".equalsIgnoreCase(url.getScheme())).orElse(false),
                parse("PAGES", SettingsLoader::bool, true),
                metricsToken());
    }

    /**
     * The dev mailbox shows every code it captured: without an SMTP host, serve listens on loopback
     * only, and an address reachable from elsewhere is refused unless OTPGATE_DEV_MAILBOX_PUBLIC says
     * that is meant.
     */
    private String host() {
        boolean dev = text("SMTP_HOST").isEmpty();
        boolean devPublic = parse("DEV_MAILBOX_PUBLIC", SettingsLoader::bool, false);
        Optional<String> host = text("HOST");
        if (!dev || devPublic) {
            return host.orElse("0.0.0.0");
        }
        if (host.isPresent() && !Loopback.is(host.get())) {
            problems.add(PREFIX + "HOST=" + host.get() + ": without " + PREFIX + "SMTP_HOST the dev mailbox shows"
                    + " every code, so it listens on loopback only; set " + PREFIX
                    + "DEV_MAILBOX_PUBLIC=true to expose it, or set " + PREFIX + "SMTP_HOST");
        }
        return host.orElse("127.0.0.1");
    }

    private Optional<MetricsToken> metricsToken() {
        Optional<String> token = text("METRICS_TOKEN");
        token.flatMap(MetricsToken::problem).ifPresent(p -> problems.add(PREFIX + "METRICS_TOKEN: " + p));
        return token.filter(t -> MetricsToken.problem(t).isEmpty()).map(MetricsToken::of);
    }

    /** Where the hosted pages may send people back to; a bad entry is named, the rest still load. */
    private List<String> redirectUris() {
        List<String> accepted = new ArrayList<>();
        for (String entry : list("REDIRECT_URIS")) {
            Optional<String> problem = RedirectUris.problem(entry);
            if (problem.isPresent()) {
                problems.add(PREFIX + "REDIRECT_URIS: " + problem.get());
            } else {
                accepted.add(entry);
            }
        }
        return accepted;
    }

    private Optional<Path> templatesDir(Path workingDir) {
        Optional<Path> dir =
                text("TEMPLATES_DIR").map(p -> workingDir.resolve(p).normalize());
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            problems.add(PREFIX + "TEMPLATES_DIR: " + dir.get() + " does not exist or is not a directory");
        }
        return dir;
    }

    /**
     * How long a claimed email stays with a process that stopped renewing it. Shorter takes a dead
     * process's emails over sooner, at the cost of more renewals (one statement per process every
     * third of the lease); the bounds are {@link OutboxDispatcher#MIN_LEASE} and
     * {@link OutboxDispatcher#MAX_LEASE}.
     */
    private Duration lease() {
        Duration lease = parse("LEASE", DurationText::parse, OutboxDispatcher.DEFAULT_LEASE);
        if (lease.compareTo(OutboxDispatcher.MIN_LEASE) < 0 || lease.compareTo(OutboxDispatcher.MAX_LEASE) > 0) {
            problems.add(PREFIX + "LEASE: must be between " + DurationText.format(OutboxDispatcher.MIN_LEASE)
                    + " and " + DurationText.format(OutboxDispatcher.MAX_LEASE) + ", got "
                    + DurationText.format(lease));
            return OutboxDispatcher.DEFAULT_LEASE;
        }
        return lease;
    }

    /** At least a day, so the purge never deletes what a live code or a rate-limit window still needs. */
    private Duration retention() {
        Duration retention = parse("RETENTION", DurationText::parse, Purger.DEFAULT_RETENTION);
        if (retention.compareTo(Purger.MIN_RETENTION) < 0) {
            problems.add(PREFIX + "RETENTION: must be at least " + DurationText.format(Purger.MIN_RETENTION) + ", got "
                    + DurationText.format(retention));
            return Purger.DEFAULT_RETENTION;
        }
        return retention;
    }

    /**
     * The base of the links in emails. Configured, never guessed from a request's Host header, which
     * a client controls: a forged Host would otherwise send readers a link to someone else's site.
     */
    private Optional<URI> publicUrl() {
        Optional<String> raw = text("PUBLIC_URL");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String problem;
        try {
            URI uri = new URI(raw.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute()
                    || uri.isOpaque()
                    || uri.getHost() == null
                    || !(scheme.equals("http") || scheme.equals("https"))) {
                problem = "must be an absolute http or https URL, such as https://verify.example.com";
            } else if (uri.getRawUserInfo() != null) {
                problem = "must not carry a user name or password";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem = "must not have a query (?) or a fragment (#)";
            } else {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            problem = "is not a URL: " + e.getReason();
        }
        problems.add(PREFIX + "PUBLIC_URL: " + problem + " (got '" + raw.get() + "')");
        return Optional.empty();
    }

    private List<String> list(String name) {
        return text(name)
                .map(t -> Arrays.stream(t.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    private Policy policy() {
        int length = parse("CODE_LENGTH", Integer::parseInt, 6);
        Alphabet alphabet = parse("CODE_ALPHABET", Alphabet::fromConfig, Alphabet.DIGITS);
        Duration ttl = duration("CODE_TTL");
        int attempts = positive("MAX_ATTEMPTS");
        int sends = positive("MAX_SENDS");
        Duration cooldown = duration("RESEND_COOLDOWN");
        int hourly = positive("RECIPIENT_HOURLY_LIMIT");
        int failures = positive("RECIPIENT_FAILURE_LIMIT");
        Duration lock = duration("RECIPIENT_LOCK");
        int pagesHourly = positive("PAGES_RECIPIENT_HOURLY_LIMIT");
        int ceiling = positive("RECIPIENT_HOURLY_CEILING");
        try {
            return new Policy(length, alphabet, ttl, attempts, sends, cooldown, hourly, failures, lock)
                    .withRecipientBudgets(pagesHourly, ceiling);
        } catch (IllegalArgumentException e) {
            // The policy names the rule in words ("code TTL must be ..."): name the setting it came from.
            String rule = e.getMessage().toLowerCase(Locale.ROOT);
            String setting = DEFAULTS.keySet().stream()
                    .filter(name ->
                            rule.startsWith(name.toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .findFirst()
                    .map(name -> PREFIX + name)
                    .orElse("policy");
            problems.add(setting + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Comma-separated {@code TENANT:KEY} or {@code KEY}; each key at least 32 characters. A problem
     * names the key by position, never by value.
     */
    private List<String> apiKeys() {
        List<String> keys = new ArrayList<>();
        String[] parts = text("API_KEYS").map(t -> t.split(",")).orElse(new String[0]);
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i].strip();
            if (key.isEmpty()) {
                continue;
            }
            int colon = key.indexOf(':');
            boolean named = colon > 0 && Tenant.parse(key.substring(0, colon)).isValid();
            if ((named ? key.length() - colon - 1 : key.length()) < API_KEY_MIN_LENGTH) {
                problems.add(PREFIX + "API_KEYS: key " + (i + 1) + " is shorter than " + API_KEY_MIN_LENGTH
                        + " characters (generate one with: openssl rand -base64 32)");
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private Duration duration(String name) {
        return parse(name, DurationText::parse, Duration.ofSeconds(1));
    }

    private int positive(String name) {
        int value = parse(name, Integer::parseInt, 1);
        if (value < 1) {
            problems.add(PREFIX + name + ": must be at least 1, got " + value);
            return 1;
        }
        return value;
    }

    /** Parses a setting; on failure records the problem and returns a placeholder so that loading goes on. */
    private <T> T parse(String name, Function<String, T> parser, T placeholder) {
        String raw = text(name).orElse(DEFAULTS.get(name));
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            String reason = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
            problems.add(PREFIX + name + ": " + reason + " (got '" + raw + "')");
            return placeholder;
        }
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("must be on or off (or true, false, yes, no)");
        };
    }
}
