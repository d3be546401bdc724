package io.otpgate.mail;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Localised strings from a bundle of UTF-8 properties files, formatted with ICU {@link
 * MessageFormat}: named arguments, CLDR plural rules and numbers in the reader's locale.
 *
 * <p><b>Usage.</b> Put {@code messages.properties} (English, the base every language falls back to)
 * and {@code messages_fr.properties}, {@code messages_pt_BR.properties}, … next to each other on
 * the class path, then load them once at start-up and format per request:
 *
 * <pre>{@code
 * Translations pages = Translations.load("io.otpgate.server.pages", loader, Locale.ENGLISH, dir);
 * Translations.Strings fr = pages.forLocale(Locale.forLanguageTag("fr-CA"));
 * fr.format("attempts", Map.of("count", 2));  // attempts={count, plural, one {# essai} other {# essais}}
 * fr.lang();                                  // "fr", for <html lang>; fr.dir() is "ltr" or "rtl"
 * }</pre>
 *
 * A key missing from one file falls back, key by key, along {@code fr-CA → fr}, then to the shipped
 * language of the same family ({@code pt-PT → pt-BR}, {@code zh-TW → zh}, see {@link Languages}),
 * then to the configured default locale, then to the base file. A file of the same name in the
 * overrides directory ({@code OTPGATE_TEMPLATES_DIR}) replaces the built-in one key by key, so an
 * operator changes one sentence without copying the rest, and may add languages. Every pattern is
 * compiled by {@link #load}: a broken one throws {@link IllegalStateException} naming the file and
 * the key, so it stops start-up rather than a request. Pass user input (names, addresses, codes)
 * only as arguments: arguments are inserted as they are, never read as patterns, so a name typed as
 * {@code {code}} stays literal. Escaping for HTML is the caller's job (Mustache does it). Patterns
 * follow ICU's apostrophe rule: a single {@code '} is literal ({@code l'adresse}) unless it quotes
 * a {@code {}. Loaded strings are kept per locale. Thread-safe.
 */
public final class Translations {

    /** Locales come from API callers; past this many, rare ones are loaded each time, not kept. */
    private static final int MAX_CACHED_LOCALES = 64;

    private static final ResourceBundle.Control CANDIDATES =
            ResourceBundle.Control.getControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String baseName;
    private final ClassLoader loader;
    private final Locale defaultLocale;
    private final Optional<Path> overridesDir;
    private final Map<Locale, Strings> cache = new ConcurrentHashMap<>();

    private Translations(String baseName, ClassLoader loader, Locale defaultLocale, Optional<Path> overridesDir) {
        this.baseName = baseName;
        this.loader = loader;
        this.defaultLocale = defaultLocale;
        this.overridesDir = overridesDir;
    }

    /**
     * Loads and compiles the bundle {@code baseName} (such as {@code io.otpgate.mail.messages}, read
     * from {@code io/otpgate/mail/messages*.properties} through {@code loader}), with the files of
     * the same names in {@code overridesDir} merged over it.
     *
     * @param defaultLocale the language a reader gets when theirs has no strings
     * @throws IllegalArgumentException when {@code overridesDir} is not a directory
     * @throws IllegalStateException when the base file is missing or a pattern does not compile; the
     *     message names the file and the key
     */
    public static Translations load(
            String baseName, ClassLoader loader, Locale defaultLocale, Optional<Path> overridesDir) {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(defaultLocale, "defaultLocale");
        Objects.requireNonNull(overridesDir, "overridesDir");
        if (overridesDir.isPresent() && !Files.isDirectory(overridesDir.get())) {
            throw new IllegalArgumentException("the overrides directory " + overridesDir.get() + " is not a directory");
        }
        Translations translations = new Translations(baseName, loader, defaultLocale.stripExtensions(), overridesDir);
        if (translations.layer(Locale.ROOT).isEmpty()) {
            throw new IllegalStateException(
                    "no strings file " + translations.resourceName(Locale.ROOT) + " on the class path");
        }
        translations.checkOverrides();
        translations.forLocale(defaultLocale);
        Languages.SHIPPED.forEach(translations::forLocale);
        return translations;
    }

    /** The strings for a reader of {@code requested}, with every fallback applied. */
    public Strings forLocale(Locale requested) {
        Objects.requireNonNull(requested, "requested");
        // Bundle names never carry extensions (-u-…), so they only split the cache.
        Locale key = requested.stripExtensions();
        Strings strings = cache.get(key);
        if (strings == null) {
            strings = resolve(key);
            if (cache.size() < MAX_CACHED_LOCALES) {
                cache.putIfAbsent(key, strings);
            }
        }
        return strings;
    }

    /** The locale a reader gets when theirs has no strings. */
    public Locale defaultLocale() {
        return defaultLocale;
    }

    private Strings resolve(Locale requested) {
        List<Locale> chain = chain(requested);
        List<Map<String, Source>> layers = new ArrayList<>();
        Locale found = null;
        for (Locale candidate : chain) {
            Optional<Map<String, Source>> layer = layer(candidate);
            if (layer.isPresent()) {
                layers.add(layer.get());
                if (found == null && !candidate.equals(Locale.ROOT)) {
                    found = candidate;
                }
            }
        }
        Map<String, Source> merged = new HashMap<>();
        // Least specific first, so that each more specific file wins key by key.
        for (int i = layers.size() - 1; i >= 0; i--) {
            merged.putAll(layers.get(i));
        }
        Locale locale = found == null ? Locale.ENGLISH : readable(found);
        // Numbers and plural forms follow the reader's region when the words are in their language:
        // ar-EG reads Eastern Arabic digits, de-CH its own grouping; a Japanese reader of English
        // strings reads English numbers.
        ULocale icu = ULocale.forLocale(requested.getLanguage().equals(locale.getLanguage()) ? requested : locale);
        Map<String, MessageFormat> formats = new HashMap<>();
        merged.forEach((key, source) -> formats.put(key, compile(source, key, icu)));
        return new Strings(locale, Map.copyOf(formats));
    }

    /**
     * The reader's own candidates ({@code fr-CA}, {@code fr}), then the shipped language of the same
     * family, then the default locale's, then the base. Chinese candidates follow the JDK's rules
     * ({@code zh-TW} reads {@code zh_TW}, then {@code zh}).
     */
    private List<Locale> chain(Locale requested) {
        Set<Locale> chain = new LinkedHashSet<>(candidates(requested));
        Languages.shipped(requested.toLanguageTag()).ifPresent(s -> chain.addAll(candidates(s)));
        chain.addAll(candidates(defaultLocale));
        chain.add(Locale.ROOT);
        return List.copyOf(chain);
    }

    private static List<Locale> candidates(Locale locale) {
        List<Locale> all = new ArrayList<>(CANDIDATES.getCandidateLocales("", locale));
        all.remove(Locale.ROOT);
        return all;
    }

    /** The shipped Chinese file is {@code _zh}; its readers are told it is Simplified Chinese. */
    private static Locale readable(Locale bundleLocale) {
        if (bundleLocale.getCountry().isEmpty() && bundleLocale.getScript().isEmpty()) {
            Optional<Locale> shipped = Languages.shipped(bundleLocale.getLanguage());
            if (shipped.isPresent() && shipped.get().getCountry().isEmpty()) {
                return shipped.get();
            }
        }
        return bundleLocale;
    }

    /** One file's keys, the override's merged over the built-in's; empty if neither exists. */
    private Optional<Map<String, Source>> layer(Locale locale) {
        String resource = resourceName(locale);
        Map<String, Source> keys = new HashMap<>();
        boolean found = false;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in != null) {
                read(in).forEach((key, value) -> keys.put(key, new Source(value, "built-in " + resource)));
                found = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the strings file " + resource, e);
        }
        Optional<Path> override = overridesDir.map(dir -> dir.resolve(fileName(resource)));
        if (override.isPresent() && Files.isRegularFile(override.get())) {
            try (InputStream in = Files.newInputStream(override.get())) {
                read(in).forEach((key, value) ->
                        keys.put(key, new Source(value, override.get().toString())));
                found = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the strings file " + override.get(), e);
            }
        }
        return found ? Optional.of(keys) : Optional.empty();
    }

    /** Compiles every override file of this bundle, including languages nothing has asked for yet. */
    private void checkOverrides() {
        if (overridesDir.isEmpty()) {
            return;
        }
        String prefix = fileName(resourceName(Locale.ROOT)).replace(".properties", "");
        try (Stream<Path> files = Files.list(overridesDir.get())) {
            files.filter(Files::isRegularFile)
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".properties"))
                    .filter(name -> name.equals(prefix + ".properties") || name.startsWith(prefix + "_"))
                    .sorted()
                    .forEach(this::checkOverride);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the overrides directory " + overridesDir.get(), e);
        }
    }

    private void checkOverride(String fileName) {
        Path file = overridesDir.orElseThrow().resolve(fileName);
        try (InputStream in = Files.newInputStream(file)) {
            read(in).forEach((key, value) -> compile(new Source(value, file.toString()), key, ULocale.ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the strings file " + file, e);
        }
    }

    private static MessageFormat compile(Source source, String key, ULocale locale) {
        try {
            return new MessageFormat(source.pattern(), locale);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the strings file "
                            + source.file()
                            + " has a broken message at key '"
                            + key
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    private String resourceName(Locale locale) {
        return CANDIDATES.toResourceName(CANDIDATES.toBundleName(baseName, locale), "properties");
    }

    private static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private static Map<String, String> read(InputStream in) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> keys = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> keys.put(key, properties.getProperty(key)));
        return keys;
    }

    /** A pattern and the file it came from, for error messages. */
    private record Source(String pattern, String file) {}

    /** The strings of one reader's locale, every fallback applied. Thread-safe. */
    public static final class Strings {
        private final Locale locale;
        private final Map<String, MessageFormat> formats;

        private Strings(Locale locale, Map<String, MessageFormat> formats) {
            this.locale = locale;
            this.formats = formats;
        }

        /**
         * The message under {@code key} with {@code args} filled in: {@code {name}} inserts a value as
         * it is, {@code {count, plural, one {# minute} other {# minutes}}} picks the CLDR plural form of
         * a number and formats it for the locale.
         *
         * @throws MissingResourceException when no file in the fallback chain has {@code key}
         */
        public String format(String key, Map<String, ?> args) {
            MessageFormat format = formats.get(key);
            if (format == null) {
                throw new MissingResourceException(
                        "no string for key '" + key + "' in " + locale.toLanguageTag(), "Translations", key);
            }
            // ICU's MessageFormat is not thread-safe; formatting a short message is quick.
            synchronized (format) {
                return format.format(args);
            }
        }

        /** {@link #format(String, Map)} for a message without arguments. */
        public String format(String key) {
            return format(key, Map.of());
        }

        /** Whether any file in the fallback chain has {@code key}. */
        public boolean has(String key) {
            return formats.containsKey(key);
        }

        /**
         * The language of these strings: the most specific file found ({@code pt-BR} for a {@code
         * pt-PT} reader, {@code zh-Hans} for {@code zh-TW}, the default locale for a language not
         * shipped, {@code en} for the base file).
         */
        public Locale locale() {
            return locale;
        }

        /** {@link #locale()} as a BCP 47 tag, for HTML's {@code lang} attribute. */
        public String lang() {
            return locale.toLanguageTag();
        }

        /** {@code rtl} for a right-to-left language such as Arabic, else {@code ltr}. */
        public String dir() {
            return Languages.direction(locale);
        }

        public boolean rightToLeft() {
            return Languages.rightToLeft(locale);
        }
    }
}
