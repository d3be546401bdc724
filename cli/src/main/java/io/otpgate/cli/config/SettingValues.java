package io.otpgate.cli.config;

import io.otpgate.core.policy.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The raw text of every setting (default, then the YAML file, then the environment) and the readers
 * that turn one into a typed value. A reader never throws for a bad value: it records a problem,
 * one line naming the setting and, for a value from the file, its key and the file, and loading
 * goes on, so that every problem is reported in the same round.
 */
final class SettingValues {

    private final Map<String, String> defaults;
    private final Map<String, String> values;
    /** The settings the file set and the environment did not override, for naming a bad value's source. */
    private final Map<String, Path> fromFile = new HashMap<>();

    private final List<String> problems = new ArrayList<>();

    SettingValues(Map<String, String> defaults) {
        this.defaults = defaults;
        this.values = new HashMap<>(defaults);
    }

    /** A value read from {@code file}, or from the environment when {@code file} is empty. */
    void set(String name, String value, Optional<Path> file) {
        values.put(name, value);
        file.ifPresentOrElse(f -> fromFile.put(name, f), () -> fromFile.remove(name));
    }

    /** A problem that is not one setting's (an unknown name, a file that is not YAML). */
    void report(String line) {
        problems.add(line);
    }

    /** One line for {@code name}: its name (and source) and what is wrong with it. */
    void problem(String name, String reason) {
        problems.add(label(name) + ": " + reason);
    }

    /** The setting's variable name, and for a value from the file, its key and the file. */
    String label(String name) {
        Path file = fromFile.get(name);
        return SettingsLoader.PREFIX
                + name
                + (file == null ? "" : " (" + name.toLowerCase(Locale.ROOT) + " in " + file + ")");
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The value as text; empty when unset or blank. */
    Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A comma-separated list; empty when unset. */
    List<String> list(String name) {
        return text(name)
                .map(t -> Arrays.stream(t.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    /**
     * A setting with a default, parsed. A bad value is a problem, and the default stands in for it,
     * so that the checks combining it with other settings still run and report their own problems
     * in the same round; the problem stops the start.
     */
    <T> T parse(String name, Function<String, T> parser) {
        String fallback =
                Objects.requireNonNull(defaults.get(name), () -> name + " has no default: read it as optional");
        return read(name, text(name).orElse(fallback), parser).orElseGet(() -> parser.apply(fallback));
    }

    /** A setting without a default: empty when unset, and when bad (a problem, which stops the start). */
    <T> Optional<T> optional(String name, Function<String, T> parser) {
        return text(name).flatMap(raw -> read(name, raw, parser));
    }

    Duration duration(String name) {
        return parse(name, DurationText::parse);
    }

    int positive(String name) {
        return parse(name, SettingValues::atLeastOne);
    }

    boolean bool(String name) {
        return parse(name, SettingValues::onOrOff);
    }

    private <T> Optional<T> read(String name, String raw, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(raw));
        } catch (RuntimeException e) {
            String reason = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
            problem(name, reason + " (got '" + raw + "')");
            return Optional.empty();
        }
    }

    static int atLeastOne(String text) {
        int value = Integer.parseInt(text);
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return value;
    }

    /** A TCP port; {@code min} 0 where 0 asks for any free port. */
    static int port(String text, int min) {
        int port = Integer.parseInt(text);
        if (port < min || port > 65_535) {
            throw new IllegalArgumentException(
                    "must be between " + (min == 0 ? "0 (any free port)" : min) + " and 65535");
        }
        return port;
    }

    private static boolean onOrOff(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("must be on or off (or true, false, yes, no)");
        };
    }
}
