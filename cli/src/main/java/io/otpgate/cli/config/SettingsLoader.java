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
import io.otpgate.mail.MailFrom;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.TlsMode;
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
 * <p>Every problem is collected and reported at once, one line each, with the variable's name (and
 * for a value from the file, its key and the file), so an operator fixes a configuration in one
 * round rather than one error per restart. Nothing else parses a setting: {@link Settings} holds
 * typed values.
 *
 * <p>Adding a setting: a line in {@link #defaults()} (its name and default, the only place the
 * default is written); a component of {@link Settings}, read in {@link #build} with one of the
 * {@link SettingValues} readers ({@code parse}, {@code positive}, {@code duration}, {@code bool} for
 * a setting with a default, {@code optional} or {@code text} for one without), whose parser throws
 * {@link IllegalArgumentException} with the reason for a bad value; and a row in README's table.
 */
public final class SettingsLoader {

    public static final String PREFIX = "OTPGATE_";
    static final String DEFAULT_FILE = "otpgate.yml";
    static final int API_KEY_MIN_LENGTH = 32;

    /** Every setting this version knows, with its default as an operator would write it ({@code null}: unset). */
    static final Map<String, String> DEFAULTS = defaults();

    /**
     * Variables read before the configuration is: by the launcher script ({@code OTPGATE_JAVA_OPTS})
     * and by the logging set-up ({@code OTPGATE_LOG_LEVEL}). Known, so not refused; not settings.
     */
    static final Set<String> READ_ELSEWHERE = Set.of("JAVA_OPTS", "LOG_LEVEL");

    private final SettingValues values = new SettingValues(DEFAULTS);

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

    /** The one place each default is written: the policy's and the mail adapter's come from their own types. */
    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        Policy policy = Policy.defaults();
        d.put("CODE_LENGTH", Integer.toString(policy.codeLength()));
        d.put("CODE_ALPHABET", policy.alphabet().configName());
        d.put("CODE_TTL", DurationText.format(policy.codeTtl()));
        d.put("MAX_ATTEMPTS", Integer.toString(policy.maxAttempts()));
        d.put("MAX_SENDS", Integer.toString(policy.maxSends()));
        d.put("RESEND_COOLDOWN", DurationText.format(policy.resendCooldown()));
        d.put("RECIPIENT_HOURLY_LIMIT", Integer.toString(policy.recipientHourlyLimit()));
        d.put("PAGES_RECIPIENT_HOURLY_LIMIT", Integer.toString(policy.pagesRecipientHourlyLimit()));
        d.put("RECIPIENT_HOURLY_CEILING", Integer.toString(policy.recipientHourlyCeiling()));
        d.put("RECIPIENT_FAILURE_LIMIT", Integer.toString(policy.recipientFailureLimit()));
        d.put("RECIPIENT_LOCK", DurationText.format(policy.recipientLock()));
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
        d.put("MAIL_FROM", MailFrom.DEFAULT.toString());
        d.put("BRAND", "OTPGate");
        d.put("DEFAULT_LOCALE", "en");
        d.put("CODE_IN_SUBJECT", "true");
        d.put("TEMPLATES_DIR", null);
        d.put("PUBLIC_URL", null);
        d.put("DELIVERY_WORKERS", "4");
        d.put("DELIVERY_ALERT_AGE", "2m");
        d.put("LEASE", DurationText.format(OutboxDispatcher.DEFAULT_LEASE));
        d.put("RETENTION", DurationText.format(Purger.DEFAULT_RETENTION));
        d.put("STATS_RETENTION", DurationText.format(Purger.DEFAULT_STATS_RETENTION));
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
        Optional<Path> file = configFile.or(
                () -> Optional.of(workingDir.resolve(DEFAULT_FILE)).filter(Files::isRegularFile));
        file.ifPresent(loader::readFile);
        loader.readEnvironment(env);
        return loader.build(workingDir);
    }

    private void readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            values.report(file + ": cannot be read as YAML ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            values.report(file + ": expected keys and values, such as smtp_host: smtp.example.com");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey().toUpperCase(Locale.ROOT);
            if (!DEFAULTS.containsKey(name)) {
                values.report(file + ": unknown setting '" + field.getKey() + "'"
                        + SettingNames.closest(name, DEFAULTS.keySet())
                                .map(n -> "; did you mean " + n.toLowerCase(Locale.ROOT) + "?")
                                .orElse(SEE_HELP));
            } else if (field.getValue().isContainerNode()) {
                values.report(file + ": '" + field.getKey() + "' must be a single value");
            } else {
                values.set(
                        name,
                        field.getValue().isNull() ? null : field.getValue().asText(),
                        Optional.of(file));
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
                    values.set(name, value.isEmpty() ? null : value, Optional.empty());
                } else if (!READ_ELSEWHERE.contains(name)) {
                    values.report("unknown setting " + key
                            + SettingNames.closest(name, known)
                                    .map(n -> "; did you mean " + PREFIX + n + "?")
                                    .orElse(SEE_HELP));
                }
            }
        });
    }

    private static final String SEE_HELP = " (otpgate serve --help lists the settings)";

    private Settings build(Path workingDir) {
        Optional<URI> publicUrl = publicUrl();
        MailFrom mailFrom =
                values.parse("MAIL_FROM", text -> MailFrom.parse(text).orElseThrow());
        String brand = values.parse("BRAND", Function.identity());
        Path dataDir = values.parse("DATA_DIR", text -> workingDir.resolve(text).normalize());
        Settings settings = new Settings(
                policy(),
                dataDir,
                new DatabaseSettings(
                        values.text("DB_URL"),
                        values.text("DB_USER"),
                        values.text("DB_PASSWORD"),
                        values.positive("DB_POOL_SIZE"),
                        values.parse("DB_SYNC", SettingsLoader::sync)),
                values.text("SECRET"),
                apiKeys(),
                smtp(mailFrom, workingDir),
                mailFrom,
                brand,
                values.parse("DEFAULT_LOCALE", text -> LanguageTags.parse(text).orElseThrow()),
                values.bool("CODE_IN_SUBJECT"),
                templatesDir(workingDir),
                publicUrl,
                values.positive("DELIVERY_WORKERS"),
                values.parse("DELIVERY_ALERT_AGE", DurationText::parse),
                lease(),
                retention("RETENTION"),
                retention("STATS_RETENTION"),
                values.bool("WEBHOOK_ALLOW_PRIVATE"),
                server(brand, publicUrl));
        if (!values.problems().isEmpty()) {
            throw new ConfigurationException(values.problems());
        }
        return settings;
    }

    /**
     * The SMTP server, when {@code SMTP_HOST} is set; its other settings are checked either way, so
     * a bad one is found before the day the host is set. The CA file is read now, so a missing or
     * broken one stops the start rather than every delivery.
     */
    private Optional<SmtpSettings> smtp(MailFrom from, Path workingDir) {
        TlsMode tls = values.parse("SMTP_TLS", text -> TlsMode.parse(text).orElseThrow());
        Optional<Integer> port = values.optional("SMTP_PORT", text -> SettingValues.port(text, 1));
        Optional<Path> caFile =
                values.text("SMTP_CA_FILE").map(p -> workingDir.resolve(p).normalize());
        Optional<String> username = values.text("SMTP_USERNAME");
        Optional<String> host = values.text("SMTP_HOST");
        if (host.isEmpty()) {
            return Optional.empty();
        }
        SmtpSettings.Builder smtp = SmtpSettings.builder(host.get()).tls(tls).from(from);
        port.ifPresent(smtp::port);
        try {
            caFile.ifPresent(smtp::caFile);
        } catch (IllegalArgumentException e) {
            values.problem("SMTP_CA_FILE", e.getMessage());
        }
        Optional<String> password = values.text("SMTP_PASSWORD");
        try {
            username.ifPresent(
                    user -> smtp.credentials(user, password.orElse("").toCharArray()));
        } catch (IllegalArgumentException e) {
            values.problem(password.isEmpty() ? "SMTP_PASSWORD" : "SMTP_USERNAME", e.getMessage());
        }
        try {
            return Optional.of(smtp.build());
        } catch (IllegalArgumentException e) {
            values.problem("SMTP_HOST", e.getMessage());
            return Optional.empty();
        }
    }

    /** When the embedded store's commits reach the disk: {@code full} (power-safe) or {@code normal}. */
    private static Sync sync(String text) {
        return Sync.parse(text).orElseThrow(() -> new IllegalArgumentException("must be full or normal"));
    }

    private ServerSettings server(String brand, Optional<URI> publicUrl) {
        return new ServerSettings(
                host(),
                values.parse("PORT", text -> SettingValues.port(text, 0)),
                values.list("CORS_ORIGINS"),
                values.list("TRUSTED_PROXIES"),
                values.positive("IP_START_LIMIT"),
                values.optional("KEY_START_LIMIT", SettingValues::atLeastOne),
                brand,
                redirectUris(),
                values.positive("IP_CHECK_LIMIT"),
                // Behind a proxy that ends TLS the request itself is plain HTTP; the public URL says what
                // the browser sees.
                publicUrl.map(url -> "https".equalsIgnoreCase(url.getScheme())).orElse(false),
                values.bool("PAGES"),
                metricsToken());
    }

    /**
     * The dev mailbox shows every code it captured: without an SMTP host, serve listens on loopback
     * only, and an address reachable from elsewhere is refused unless OTPGATE_DEV_MAILBOX_PUBLIC says
     * that is meant.
     */
    private String host() {
        boolean dev = values.text("SMTP_HOST").isEmpty();
        boolean devPublic = values.bool("DEV_MAILBOX_PUBLIC");
        Optional<String> host = values.text("HOST");
        if (!dev || devPublic) {
            return host.orElse("0.0.0.0");
        }
        if (host.isPresent() && !Loopback.is(host.get())) {
            values.report(values.label("HOST") + "=" + host.get() + ": without " + PREFIX + "SMTP_HOST the dev mailbox"
                    + " shows every code, so it listens on loopback only; set " + PREFIX
                    + "DEV_MAILBOX_PUBLIC=true to expose it, or set " + PREFIX + "SMTP_HOST");
        }
        return host.orElse("127.0.0.1");
    }

    private Optional<MetricsToken> metricsToken() {
        Optional<String> token = values.text("METRICS_TOKEN");
        token.flatMap(MetricsToken::problem).ifPresent(p -> values.problem("METRICS_TOKEN", p));
        return token.filter(t -> MetricsToken.problem(t).isEmpty()).map(MetricsToken::of);
    }

    /** Where the hosted pages may send people back to; a bad entry is named, the rest still load. */
    private List<String> redirectUris() {
        List<String> accepted = new ArrayList<>();
        for (String entry : values.list("REDIRECT_URIS")) {
            Optional<String> problem = RedirectUris.problem(entry);
            if (problem.isPresent()) {
                values.problem("REDIRECT_URIS", problem.get());
            } else {
                accepted.add(entry);
            }
        }
        return accepted;
    }

    private Optional<Path> templatesDir(Path workingDir) {
        Optional<Path> dir =
                values.text("TEMPLATES_DIR").map(p -> workingDir.resolve(p).normalize());
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            values.problem("TEMPLATES_DIR", dir.get() + " does not exist or is not a directory");
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
        return values.parse("LEASE", text -> {
            Duration lease = DurationText.parse(text);
            if (lease.compareTo(OutboxDispatcher.MIN_LEASE) < 0 || lease.compareTo(OutboxDispatcher.MAX_LEASE) > 0) {
                throw new IllegalArgumentException("must be between " + DurationText.format(OutboxDispatcher.MIN_LEASE)
                        + " and " + DurationText.format(OutboxDispatcher.MAX_LEASE));
            }
            return lease;
        });
    }

    /**
     * At least a day, so the purge never deletes what a live code or a rate-limit window still needs
     * ({@code RETENTION}), nor an hour of the analytics rollup still being counted ({@code STATS_RETENTION}).
     */
    private Duration retention(String name) {
        return values.parse(name, text -> {
            Duration retention = DurationText.parse(text);
            if (retention.compareTo(Purger.MIN_RETENTION) < 0) {
                throw new IllegalArgumentException("must be at least " + DurationText.format(Purger.MIN_RETENTION));
            }
            return retention;
        });
    }

    /**
     * The base of the links in emails. Configured, never guessed from a request's Host header, which
     * a client controls: a forged Host would otherwise send readers a link to someone else's site.
     */
    private Optional<URI> publicUrl() {
        Optional<String> raw = values.text("PUBLIC_URL");
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
        values.problem("PUBLIC_URL", problem + " (got '" + raw.get() + "')");
        return Optional.empty();
    }

    private Policy policy() {
        int length = values.parse("CODE_LENGTH", Integer::parseInt);
        Alphabet alphabet = values.parse("CODE_ALPHABET", Alphabet::fromConfig);
        Duration ttl = values.duration("CODE_TTL");
        int attempts = values.positive("MAX_ATTEMPTS");
        int sends = values.positive("MAX_SENDS");
        Duration cooldown = values.duration("RESEND_COOLDOWN");
        int hourly = values.positive("RECIPIENT_HOURLY_LIMIT");
        int failures = values.positive("RECIPIENT_FAILURE_LIMIT");
        Duration lock = values.duration("RECIPIENT_LOCK");
        int pagesHourly = values.positive("PAGES_RECIPIENT_HOURLY_LIMIT");
        int ceiling = values.positive("RECIPIENT_HOURLY_CEILING");
        try {
            return new Policy(length, alphabet, ttl, attempts, sends, cooldown, hourly, failures, lock)
                    .withRecipientBudgets(pagesHourly, ceiling);
        } catch (IllegalArgumentException e) {
            // The policy names the rule in words ("code TTL must be ..."): name the setting it came from.
            String rule = e.getMessage().toLowerCase(Locale.ROOT);
            Optional<String> setting = DEFAULTS.keySet().stream()
                    .filter(name ->
                            rule.startsWith(name.toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .findFirst();
            setting.ifPresentOrElse(
                    name -> values.problem(name, e.getMessage()), () -> values.report("policy: " + e.getMessage()));
            // Only stands in, so that the other settings are still checked: the problem stops the start.
            return Policy.defaults();
        }
    }

    /**
     * Comma-separated {@code TENANT:KEY} or {@code KEY}; each key at least 32 characters. A problem
     * names the key by position, never by value.
     */
    private List<String> apiKeys() {
        List<String> keys = new ArrayList<>();
        String[] parts = values.text("API_KEYS").map(t -> t.split(",")).orElse(new String[0]);
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i].strip();
            if (key.isEmpty()) {
                continue;
            }
            int colon = key.indexOf(':');
            boolean named = colon > 0 && Tenant.parse(key.substring(0, colon)).isValid();
            if ((named ? key.length() - colon - 1 : key.length()) < API_KEY_MIN_LENGTH) {
                values.problem(
                        "API_KEYS",
                        "key " + (i + 1) + " is shorter than " + API_KEY_MIN_LENGTH
                                + " characters (generate one with: openssl rand -base64 32)");
            } else {
                keys.add(key);
            }
        }
        return keys;
    }
}
