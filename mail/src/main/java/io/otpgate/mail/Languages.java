package io.otpgate.mail;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The languages OTPGate ships strings for, and the choice of one of them for a reader.
 *
 * <p>{@code Accept-Language} is matched range by range, in the reader's order of preference: a
 * range matches a shipped language with the same tag, else one with the same language ({@code
 * fr-CA} reads French, {@code pt} and {@code pt-PT} read Brazilian Portuguese, {@code zh-CN} and
 * {@code zh-TW} read Simplified Chinese). The JDK's {@link Locale#lookup} would not do this: it
 * matches {@code pt} to {@code pt} only, never to {@code pt-BR}.
 */
public final class Languages {

    /** English first: it is the base every other language falls back to, string by string. */
    public static final List<Locale> SHIPPED = List.of(
            Locale.forLanguageTag("en"),
            Locale.forLanguageTag("es"),
            Locale.forLanguageTag("fr"),
            Locale.forLanguageTag("de"),
            Locale.forLanguageTag("pt-BR"),
            Locale.forLanguageTag("hi"),
            Locale.forLanguageTag("zh-Hans"),
            Locale.forLanguageTag("ar"));

    /** Longer headers are not from a browser; they are not worth parsing. */
    private static final int MAX_HEADER = 1024;

    private Languages() {}

    /**
     * The shipped language that best serves an {@code Accept-Language} header, else {@code
     * fallback}. A missing, malformed or oversized header gives {@code fallback}.
     */
    public static Locale negotiate(String acceptLanguage, Locale fallback) {
        Objects.requireNonNull(fallback, "fallback");
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > MAX_HEADER) {
            return fallback;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException malformed) {
            return fallback;
        }
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() > 0) {
                Optional<Locale> shipped = shipped(range.getRange());
                if (shipped.isPresent()) {
                    return shipped.get();
                }
            }
        }
        return fallback;
    }

    /**
     * The shipped language for a tag such as {@code fr}, {@code fr-CA} or {@code zh-CN}: the same
     * tag, else the same language. Empty for a language OTPGate does not ship, or {@code *}.
     */
    public static Optional<Locale> shipped(String tag) {
        if (tag == null || tag.isBlank() || tag.strip().equals("*")) {
            return Optional.empty();
        }
        Locale wanted = Locale.forLanguageTag(tag.strip().replace('_', '-'));
        for (Locale locale : SHIPPED) {
            if (locale.toLanguageTag().equalsIgnoreCase(wanted.toLanguageTag())) {
                return Optional.of(locale);
            }
        }
        return SHIPPED.stream()
                .filter(locale -> locale.getLanguage().equals(wanted.getLanguage()))
                .findFirst();
    }

    /** HTML's {@code dir} for text in this language: {@code rtl} or {@code ltr}. */
    public static String direction(Locale locale) {
        return rightToLeft(locale) ? "rtl" : "ltr";
    }

    /** Whether text in this language runs right to left (Arabic, Hebrew, Persian, Urdu, …). */
    public static boolean rightToLeft(Locale locale) {
        return switch (locale.getLanguage()) {
            case "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb" -> true;
            default -> false;
        };
    }
}
