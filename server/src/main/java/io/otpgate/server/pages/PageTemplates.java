package io.otpgate.server.pages;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One directory of HTML Mustache templates on the class path, compiled once when it is loaded:
 * compiling is far slower than rendering, and a broken template should stop start-up, not a
 * visitor's request. A template names another as a partial ({@code {{> head}}}) or a parent
 * ({@code {{<layout}}…{{/layout}}}) by its file name without {@code .mustache}.
 *
 * <p>Every {@code {{value}}} is HTML-escaped (only {@code {{{value}}}} is not, and no template here
 * uses it). A missing value is an error rather than an empty string, so a misspelt name fails the
 * first test that renders it; an empty string counts as false, so {@code {{#id}} id="{{id}}"{{/id}}}
 * leaves out an attribute with nothing to say. Thread-safe.
 */
public final class PageTemplates {

    /**
     * The five characters that can end an attribute value or start markup. Mustache's own HTML
     * escaper also rewrites {@code =} and {@code `}, which changes nothing a browser reads but makes
     * every {@code ?lang=de} in the markup {@code ?lang&#x3D;de}.
     */
    private static final Mustache.Escaper HTML = Escapers.simple(
            new String[] {"&", "&amp;"},
            new String[] {"<", "&lt;"},
            new String[] {">", "&gt;"},
            new String[] {"\"", "&quot;"},
            new String[] {"'", "&#39;"});

    private final Map<String, Template> byName;

    private PageTemplates(Map<String, Template> byName) {
        this.byName = byName;
    }

    /**
     * Compiles {@code names} (partials and parents too, so that a broken one fails here) from the
     * class-path {@code directory}, such as {@code io/otpgate/server/pages/}.
     *
     * @throws IllegalStateException when a template is missing or broken
     */
    public static PageTemplates load(String directory, List<String> names) {
        Mustache.Compiler compiler = Mustache.compiler()
                .withEscaper(HTML)
                .emptyStringIsFalse(true)
                .withLoader(name -> new StringReader(read(directory, name)));
        Map<String, Template> byName = new HashMap<>();
        for (String name : names) {
            try {
                byName.put(name, compiler.compile(read(directory, name)));
            } catch (MustacheException e) {
                throw new IllegalStateException(
                        "the page template " + directory + name + ".mustache is broken: " + e.getMessage(), e);
            }
        }
        return new PageTemplates(Map.copyOf(byName));
    }

    /** The template {@code name} filled in from {@code model} (a record, a map, or a list of them). */
    public String render(String name, Object model) {
        Template template = byName.get(name);
        if (template == null) {
            throw new IllegalArgumentException("no page template " + name + " was loaded");
        }
        return template.execute(model);
    }

    private static String read(String directory, String name) {
        String path = directory + name + ".mustache";
        try (InputStream in = PageTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no page template " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page template " + path, e);
        }
    }
}
