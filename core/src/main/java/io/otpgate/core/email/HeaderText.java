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
}
