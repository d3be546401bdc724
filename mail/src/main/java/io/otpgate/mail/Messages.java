package io.otpgate.mail;

import io.otpgate.core.verification.Purpose;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The email's words, from the resource bundle {@code io/otpgate/mail/messages} (UTF-8 properties).
 *
 * <p>A locale falls back key by key to its language, then to the configured default locale, then to
 * the base bundle (English): {@code pt-BR} → {@code pt} → default. A file of the same name in the
 * templates directory overrides the built-in one key by key, so an operator can change one sentence
 * without copying the rest. Bundles are loaded once per locale and kept.
 */
final class Messages {

  private static final String BASE_NAME = "io.otpgate.mail.messages";

  /** Locales come from API callers; past this many, rare ones are loaded each time, not kept. */
  private static final int MAX_CACHED_LOCALES = 64;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final Locale defaultLocale;
  private final Optional<Path> overrides;
  private final Map<Locale, Strings> cache = new ConcurrentHashMap<>();

  Messages(Locale defaultLocale, Optional<Path> overrides) {
    this.defaultLocale = defaultLocale;
    this.overrides = overrides;
  }

  Strings forLocale(Locale requested) {
    // Bundle names never carry extensions (-u-…), so they only split the cache.
    Locale key = requested.stripExtensions();
    Strings strings = cache.get(key);
    if (strings == null) {
      strings =
          new Strings(
              ResourceBundle.getBundle(
                  BASE_NAME, key, Messages.class.getClassLoader(), new OverridingControl()));
      if (cache.size() < MAX_CACHED_LOCALES) {
        cache.putIfAbsent(key, strings);
      }
    }
    return strings;
  }

  /** The strings of one resolved locale. */
  static final class Strings {
    private final ResourceBundle bundle;

    private Strings(ResourceBundle bundle) {
      this.bundle = bundle;
    }

    /** The text under {@code key} with its {@code {placeholders}} filled in. */
    String get(String key, Map<String, String> values) {
      return fill(bundle.getString(key), values);
    }

    /** {@code key.purpose} when the bundle has a sentence for that purpose, else {@code key}. */
    String forPurpose(String key, Purpose purpose, Map<String, String> values) {
      String specific = key + "." + purpose.value();
      return get(bundle.containsKey(specific) ? specific : key, values);
    }

    /** "This code expires in 10 minutes.", rounded to the nearest minute from a minute up. */
    String expiry(Duration validFor) {
      long seconds = Math.max(1, validFor.toSeconds());
      String unit;
      long count;
      if (seconds < 60) {
        unit = "seconds";
        count = seconds;
      } else {
        long minutes = (seconds + 30) / 60;
        unit = minutes % 60 == 0 ? "hours" : "minutes";
        count = minutes % 60 == 0 ? minutes / 60 : minutes;
      }
      // English plural rule; a language with more plural forms (fr, ar, …) needs its rule here.
      String form = count == 1 ? "one" : "other";
      Locale language = Locale.forLanguageTag(bundle.getString("lang"));
      String number = NumberFormat.getIntegerInstance(language).format(count);
      return get("expiry." + unit + "." + form, Map.of("count", number));
    }

    /**
     * One pass, so a value that looks like a placeholder (a name typed as "{code}") stays literal.
     */
    private static String fill(String pattern, Map<String, String> values) {
      return PLACEHOLDER
          .matcher(pattern)
          .replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }
  }

  /**
   * Loads properties as UTF-8, merges the override file over the built-in one, and falls back to
   * the configured default locale rather than the JVM's, which depends on the machine.
   */
  private final class OverridingControl extends ResourceBundle.Control {

    @Override
    public List<String> getFormats(String baseName) {
      return FORMAT_PROPERTIES;
    }

    @Override
    public Locale getFallbackLocale(String baseName, Locale locale) {
      return locale.equals(defaultLocale) ? null : defaultLocale;
    }

    /** {@link Messages} keeps the bundles; the JDK's cache would share them across directories. */
    @Override
    public long getTimeToLive(String baseName, Locale locale) {
      return TTL_DONT_CACHE;
    }

    @Override
    public ResourceBundle newBundle(
        String baseName, Locale locale, String format, ClassLoader loader, boolean reload)
        throws IOException {
      String resource = toResourceName(toBundleName(baseName, locale), "properties");
      Properties merged = new Properties();
      boolean found = false;
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in != null) {
          load(merged, in);
          found = true;
        }
      }
      if (overrides.isPresent()) {
        Path file = overrides.get().resolve(resource.substring(resource.lastIndexOf('/') + 1));
        if (Files.isRegularFile(file)) {
          try (InputStream in = Files.newInputStream(file)) {
            load(merged, in);
            found = true;
          }
        }
      }
      return found ? new PropertiesBundle(merged) : null;
    }

    private static void load(Properties into, InputStream in) throws IOException {
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        into.load(reader);
      }
    }
  }

  /** A bundle over merged properties; parents are linked by {@link ResourceBundle#getBundle}. */
  private static final class PropertiesBundle extends ResourceBundle {
    private final Properties properties;

    PropertiesBundle(Properties properties) {
      this.properties = properties;
    }

    @Override
    protected Object handleGetObject(String key) {
      return properties.getProperty(key);
    }

    @Override
    public Enumeration<String> getKeys() {
      return Collections.enumeration(keySet());
    }

    @Override
    protected Set<String> handleKeySet() {
      return properties.stringPropertyNames();
    }
  }
}
