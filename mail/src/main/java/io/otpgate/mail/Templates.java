package io.otpgate.mail;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.otpgate.core.id.Purpose;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The compiled Mustache templates: a text and an HTML template per purpose, compiled once at start
 * (compiling is far slower than rendering, and a broken template should stop start-up, not an
 * email). A purpose without its own {@code <purpose>.txt.mustache} / {@code .html.mustache} uses
 * {@code code.txt.mustache} / {@code code.html.mustache}. A file in the templates directory
 * replaces the built-in one of the same name.
 */
final class Templates {

    static final String DEFAULT = "code";
    private static final String BUILT_IN = "io/otpgate/mail/templates/";
    private static final Pattern FILE_NAME = Pattern.compile("([a-z0-9_]{1,32})\\.(txt|html)\\.mustache");
    // HTML escaping is what keeps a name such as <script> inert in the HTML part; the text part must
    // show it exactly as typed.
    private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true);
    private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false);

    /** The two bodies of one email. */
    record Pair(Template text, Template html) {}

    private final Map<String, Pair> byName;

    private Templates(Map<String, Pair> byName) {
        this.byName = byName;
    }

    static Templates load(Optional<Path> overrides) {
        Set<String> names = new TreeSet<>(List.of(DEFAULT));
        overrides.ifPresent(dir -> names.addAll(namesIn(dir)));
        Map<String, Pair> byName = new HashMap<>();
        for (String name : names) {
            byName.put(name, new Pair(compile(TEXT, overrides, name, "txt"), compile(HTML, overrides, name, "html")));
        }
        return new Templates(Map.copyOf(byName));
    }

    /** The purposes with templates of their own, and {@value #DEFAULT}. */
    Set<String> names() {
        return byName.keySet();
    }

    Pair forPurpose(Purpose purpose) {
        return byName.getOrDefault(purpose.value(), byName.get(DEFAULT));
    }

    private static Set<String> namesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            files.forEach(file -> {
                Matcher m = FILE_NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    names.add(m.group(1));
                }
            });
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the templates directory " + dir, e);
        }
    }

    /** The purpose's template, else the default's; for each, the directory's file wins. */
    private static Template compile(Mustache.Compiler compiler, Optional<Path> overrides, String name, String kind) {
        for (String candidate : List.of(name, DEFAULT)) {
            String fileName = candidate + "." + kind + ".mustache";
            Optional<String> source = read(overrides, fileName);
            if (source.isPresent()) {
                try {
                    return compiler.compile(source.get());
                } catch (MustacheException e) {
                    throw new IllegalStateException("the template " + fileName + " is broken: " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("no template " + DEFAULT + "." + kind + ".mustache");
    }

    /** The file in the templates directory if it is there, else the built-in one, if any. */
    private static Optional<String> read(Optional<Path> overrides, String fileName) {
        Optional<Path> file = overrides.map(dir -> dir.resolve(fileName)).filter(Files::isRegularFile);
        try {
            if (file.isPresent()) {
                return Optional.of(Files.readString(file.get(), StandardCharsets.UTF_8));
            }
            try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(BUILT_IN + fileName)) {
                return in == null
                        ? Optional.empty()
                        : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + fileName, e);
        }
    }
}
