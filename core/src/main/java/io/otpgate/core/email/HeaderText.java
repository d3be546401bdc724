package io.otpgate.core.email;

/**
 * Rules for text that ends up in a mail header (an address or a display name).
 *
 * <p>CR and LF split headers (CWE-93); NUL truncates them in some MTAs; U+0085, U+2028 and U+2029
 * are line breaks to Unicode-aware parsers. Every other C0/C1 control and DEL is refused as well:
 * none of them belongs in a name or an address, and refusing them all is simpler to reason about
 * than picking the dangerous ones. CVE-2025-7962 (characters whose low byte is CR or LF, such as
 * U+760D) is fixed in Angus Mail 2.0.4, which this project requires; those characters are legal
 * in names and are sent UTF-8 encoded, so they are not refused here.
 *
 * <p>An unpaired UTF-16 surrogate is not a character at all: a lone JSON escape for U+D800
 * produces one, UTF-8 cannot encode it, and the mail would carry a {@code ?} in its place. It is
 * refused too, with its own explanation.
 */
final class HeaderText {

    private HeaderText() {}

    /** The first forbidden character's description, or {@code null} when the text is clean. */
    static String firstControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                return String.format("U+%04X", (int) c);
            }
        }
        return null;
    }

    /** The first unpaired surrogate's description, or {@code null} when the text is well-formed UTF-16. */
    static String firstUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("U+%04X", (int) c);
            }
        }
        return null;
    }

    /** Why text cannot go into a header, in words for the person who typed it, or {@code null}. */
    static String problem(String text, String what) {
        String control = controlProblem(text, what);
        return control != null ? control : surrogateProblem(text, what);
    }

    static String controlProblem(String text, String what) {
        String control = firstControlCharacter(text);
        return control == null ? null : what + " contains a control character (" + control + ")";
    }

    static String surrogateProblem(String text, String what) {
        String surrogate = firstUnpairedSurrogate(text);
        return surrogate == null
                ? null
                : what + " contains a broken character (an unpaired UTF-16 surrogate, " + surrogate + ")";
    }
}
