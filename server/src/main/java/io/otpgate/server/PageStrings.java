package io.otpgate.server;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosted pages' words: the UTF-8 bundle {@code io/otpgate/server/pages}, ICU MessageFormat
 * patterns with named arguments and plurals. A {@code pages*.properties} file in the templates
 * directory overrides the built-in one key by key. {@code pt-BR} falls back to {@code pt}, then
 * to the base (English), key by key.
 */
final class PageStrings {

  static final String BASE_NAME = "io.otpgate.server.pages";

  private final Optional<Path> overrides;
  private final Map<Locale, ResourceBundle> bundles = new ConcurrentHashMap<>();

  PageStrings(Optional<Path> overrides) {
    this.overrides = overrides;
  }

  /** The text of {@code key} in {@code locale}, with {@code args} filled in. */
  String get(Locale locale, String key, Map<String, Object> args) {
    ResourceBundle bundle = bundles.computeIfAbsent(locale, l ->
        ResourceBundle.getBundle(BASE_NAME, l, PageStrings.class.getClassLoader(), new Utf8Control()));
    return new MessageFormat(bundle.getString(key), ULocale.forLocale(locale)).format(args);
  }

  String get(Locale locale, String key) {
    return get(locale, key, Map.of());
  }

  /** UTF-8 properties, the operator's file over ours, and no JVM-default-locale fallback. */
  private final class Utf8Control extends ResourceBundle.Control {
    @Override
    public List<String> getFormats(String baseName) {
      return ResourceBundle.Control.FORMAT_PROPERTIES;
    }

    @Override
    public Locale getFallbackLocale(String baseName, Locale locale) {
      return null;
    }

    @Override
    public ResourceBundle newBundle(String baseName, Locale locale, String format, ClassLoader loader,
        boolean reload) throws IOException {
      String name = toBundleName(baseName, locale);
      Properties properties = new Properties();
      String resource = toResourceName(name, "properties");
      boolean found = false;
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in != null) {
          load(properties, in);
          found = true;
        }
      }
      if (overrides.isPresent()) {
        Path file = overrides.get().resolve(resource.substring(resource.lastIndexOf('/') + 1));
        if (Files.isRegularFile(file)) {
          try (InputStream in = Files.newInputStream(file)) {
            load(properties, in);
            found = true;
          }
        }
      }
      return found ? new PropertiesBundle(properties) : null;
    }

    private void load(Properties properties, InputStream in) throws IOException {
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    }
  }

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
      return Collections.enumeration(properties.stringPropertyNames());
    }
  }
}
