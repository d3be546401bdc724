package io.otpgate.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core run in the page under test, in the same browser. A page passes when axe finds no
 * violation of impact {@code moderate}, {@code serious} or {@code critical}; {@code minor} ones
 * (none so far) are reported in the log but do not fail the test.
 */
final class Axe {

    /** axe's default rules: WCAG 2.x A and AA, and its best practices. */
    private static final String RUN = """
      const done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']})
        .then(r => done(r.violations.map(v => ({
          id: v.id, impact: v.impact || 'unknown', help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.html + ' :: ' + (n.failureSummary || ''))
        }))))
        .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), helpUrl: '', nodes: []}]));
      """;

    private final String source;

    Axe(Path axeMinJs) {
        try {
            source = Files.readString(axeMinJs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One rule broken on a page, with every element that breaks it. */
    record Violation(String id, String impact, String help, String helpUrl, List<String> nodes) {
        boolean blocking() {
            return impact.equals("moderate") || impact.equals("serious") || impact.equals("critical");
        }

        @Override
        public String toString() {
            return "[" + impact + "] " + id + ": " + help + " (" + helpUrl + ")\n    " + String.join("\n    ", nodes);
        }
    }

    /** Every violation axe finds on the current page. Needs JavaScript enabled in the page. */
    List<Violation> run(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript(source);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> raw = (List<Map<String, Object>>) js.executeAsyncScript(RUN);
        return raw.stream().map(Axe::violation).toList();
    }

    @SuppressWarnings("unchecked")
    private static Violation violation(Map<String, Object> v) {
        return new Violation(
                (String) v.get("id"),
                (String) v.get("impact"),
                (String) v.get("help"),
                (String) v.get("helpUrl"),
                (List<String>) v.get("nodes"));
    }
}
