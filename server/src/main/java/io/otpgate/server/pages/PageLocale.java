package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.otpgate.mail.Languages;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The language of a hosted page: {@code ?lang=} (remembered in a cookie), else the cookie, else
 * the verification's language on its own pages, else {@code Accept-Language}, else the configured
 * default. Only shipped languages are ever chosen, so
 * a page never mixes a half-translated language with English.
 */
public final class PageLocale {

    static final String COOKIE = "otpgate_lang";
    private static final int ONE_YEAR = 365 * 24 * 3600;

    /** Each shipped language in its own name, for the switcher. */
    public static final Map<String, String> NAMES = Map.of(
            "en", "English",
            "es", "Español",
            "fr", "Français",
            "de", "Deutsch",
            "pt-BR", "Português (Brasil)",
            "hi", "हिन्दी",
            "zh-Hans", "简体中文",
            "ar", "العربية");

    private final Locale fallback;
    private final boolean secureCookies;

    public PageLocale(Locale defaultLocale, boolean secureCookies) {
        this.fallback = Languages.shipped(defaultLocale.toLanguageTag()).orElse(Locale.ENGLISH);
        this.secureCookies = secureCookies;
    }

    /** Whether a page cookie is {@code Secure}: always behind an HTTPS public URL, else on HTTPS. */
    static boolean secure(Context ctx, boolean secureCookies) {
        return secureCookies || "https".equals(ctx.scheme());
    }

    /**
     * The page's language. A verification's own pages ({@code verification} present) prefer the
     * language its email was written in over the browser's: the link in an Arabic email often opens
     * in a browser set to English, and the page should go on in the language the person chose.
     */
    Locale choose(Context ctx, Optional<Locale> verification) {
        Optional<Locale> asked = shipped(ctx.queryParam("lang"));
        if (asked.isPresent()) {
            String tag = asked.get().toLanguageTag();
            ctx.cookie(new Cookie(COOKIE, tag, "/", ONE_YEAR, secure(ctx, secureCookies), true, null, SameSite.LAX));
            return asked.get();
        }
        return shipped(ctx.cookie(COOKIE))
                .or(() -> verification.flatMap(locale -> shipped(locale.toLanguageTag())))
                .orElseGet(() -> Languages.negotiate(ctx.header("Accept-Language"), fallback));
    }

    private static Optional<Locale> shipped(String tag) {
        if (tag == null || tag.length() > 35) {
            return Optional.empty();
        }
        return Languages.shipped(tag);
    }
}
