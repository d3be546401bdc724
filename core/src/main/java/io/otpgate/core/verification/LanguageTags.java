package io.otpgate.core.verification;

import io.otpgate.core.Validated;
import java.util.IllformedLocaleException;
import java.util.Locale;

/** Reads BCP 47 language tags from untrusted input ({@code en}, {@code pt-BR}, {@code zh-Hans}). */
public final class LanguageTags {

    private static final int MAX_LENGTH = 35;

    private LanguageTags() {}

    public static Validated<Locale> parse(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > MAX_LENGTH) {
            return Validated.invalid("locale must be a language tag such as en or pt-BR");
        }
        try {
            Locale locale = new Locale.Builder()
                    .setLanguageTag(tag.strip().replace('_', '-'))
                    .build();
            if (locale.getLanguage().isEmpty()) {
                return Validated.invalid("locale must start with a language, such as en or pt-BR");
            }
            return Validated.valid(locale);
        } catch (IllformedLocaleException e) {
            return Validated.invalid("locale must be a language tag such as en or pt-BR");
        }
    }
}
