package io.otpgate.server;

import static io.otpgate.server.HostileValues.object;
import static io.otpgate.server.HostileValues.utf8;
import static io.otpgate.server.ProbeKit.BATCH;
import static io.otpgate.server.ProbeKit.BROKEN_EMAIL;
import static io.otpgate.server.ProbeKit.CHECK_BY_EMAIL;
import static io.otpgate.server.ProbeKit.GUARD_LOCALE;
import static io.otpgate.server.ProbeKit.GUARD_PURPOSE;
import static io.otpgate.server.ProbeKit.START;
import static io.otpgate.server.ProbeKit.post;

import io.otpgate.server.Probe.Expect;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Hostile JSON bodies for the POST endpoints of API v1. */
final class HostileBodies {

    private static final int MAX_BODY = (int) ServerSettings.MAX_BODY_BYTES;
    private static final Expect BAD_JSON = Expect.problem(400, "invalid_request");
    private static final Expect REFUSED_400 = Expect.oneOf(Set.of(400), Set.of());
    private static final Expect BATCH_ALL_REFUSED = Expect.oneOf(Set.of(200), Set.of());
    private static final Expect NO_MATCH = Expect.problem(404, "not_found");
    /** Lenient parsers may read these; then batches answer 200 with every line refused, checks 404. */
    private static final Expect ANSWERED = Expect.oneOf(Set.of(200, 400, 404), Set.of());

    private static final Expect CODE_REFUSED =
            Expect.oneOf(Set.of(400, 404), Set.of("invalid_code_format", "not_found"));

    private final ProbeKit kit;
    private final List<Probe> out = new ArrayList<>();

    HostileBodies(ProbeKit kit) {
        this.kit = kit;
    }

    List<Probe> all() {
        brokenJson();
        randomMutations(300);
        wrongTypes();
        hugeStrings();
        deepNesting();
        hostileValues("header-injection", HostileValues.INJECTION);
        hostileValues("odd-unicode", HostileValues.ODD_UNICODE);
        notAnAddress();
        hostileBatches(60);
        return out;
    }

    /** One guarded, well-shaped body per endpoint: valid JSON that still must not start anything. */
    private List<String[]> bases() {
        return List.of(
                new String[] {START, object("locale", "\"zz!guard\"", "email", kit.emailJson(), "name", "\"Ada\"")},
                new String[] {
                    BATCH, object("purpose", GUARD_PURPOSE, "recipients", "[{\"email\":" + kit.emailJson() + "}]")
                },
                new String[] {CHECK_BY_EMAIL, object("email", kit.emailJson(), "code", "\"123456\"")},
                new String[] {kit.checkPath(), object("code", "\"123456\"")});
    }

    private void brokenJson() {
        for (String[] base : bases()) {
            String path = base[0];
            String body = base[1];
            for (int cut :
                    new int[] {1, 2, body.length() / 3, body.length() / 2, body.length() - 2, body.length() - 1}) {
                add("broken-json", path, body.substring(0, cut), BAD_JSON);
            }
            for (String root : List.of(
                    "",
                    " ",
                    "\r\n",
                    "null",
                    "true",
                    "false",
                    "42",
                    "-0",
                    "\"text\"",
                    "[]",
                    "[" + body + "]",
                    "[{}]",
                    "{}",
                    "{\"\":\"\"}")) {
                add("broken-json", path, root, BAD_JSON);
            }
            for (String broken : List.of(
                    "{",
                    "}",
                    "[",
                    "{{}}",
                    "{\"email\"}",
                    "{\"email\":}",
                    "{:\"x\"}",
                    "{\"email\" \"x\"}",
                    "{email:\"x\"}",
                    "{'email':'x'}",
                    "{\"email\":\"x\",}",
                    "{,\"email\":\"x\"}",
                    "{\"email\":NaN}",
                    "{\"email\":Infinity}",
                    "{\"email\":-Infinity}",
                    "{\"email\":undefined}",
                    "{\"email\":0x10}",
                    "{\"email\":01}",
                    "{\"email\":.5}",
                    "{\"email\":+1}",
                    "{\"email\":\"a\\x41\"}",
                    "{\"email\":\"\\u12\"}",
                    "{\"email\":\"\\uZZZZ\"}",
                    "{\"email\":\"\\",
                    "{\"email\":\"x\\\"}",
                    "{\"code\":\"123456\"",
                    "{\"email\":\"x\"\"code\":\"1\"}")) {
                add("broken-json", path, broken, BAD_JSON);
            }
            String unclosed = body.substring(0, body.length() - 1);
            for (String tolerated : List.of(
                    body + " garbage",
                    body + "}",
                    body + "]",
                    body + body,
                    body + "\u0000",
                    body + "\n\n\n[",
                    "// comment\n" + body,
                    "/* comment */" + body,
                    "# comment\n" + body,
                    unclosed + "/* comment */}",
                    unclosed + ",}",
                    "\uFEFF" + body,
                    "\uFEFF\uFEFF" + body,
                    "\u00A0" + body,
                    body.replace(":", " : ").replace(",", " ,\t\r\n"),
                    body.replace("\"", "'"),
                    body.replace(":", "="))) {
                add("broken-json", path, tolerated, ANSWERED);
            }
            for (Charset charset : List.of(
                    StandardCharsets.UTF_16,
                    StandardCharsets.UTF_16LE,
                    StandardCharsets.UTF_16BE,
                    Charset.forName("UTF-32"),
                    Charset.forName("UTF-32LE"),
                    StandardCharsets.ISO_8859_1)) {
                add("broken-json", path, body.getBytes(charset), ANSWERED);
            }
            int quote = body.indexOf("\":\"") + 3;
            for (byte[] bad : List.of(
                    bytes(0xC0, 0x80),
                    bytes(0xFF),
                    bytes(0x80),
                    bytes(0xE7, 0x98),
                    bytes(0xED, 0xA0, 0x80),
                    bytes(0xF8, 0x88, 0x80, 0x80, 0x80),
                    bytes(0xF4, 0x90, 0x80, 0x80),
                    bytes(0xC0, 0xAF),
                    bytes(0xFE, 0xFF),
                    bytes(0x0D, 0x0A),
                    bytes(0x00),
                    bytes(0x09),
                    bytes(0x1B))) {
                add("broken-json", path, splice(utf8(body), quote, bad), ANSWERED);
                add("broken-json", path, splice(utf8(body), 1, bad), ANSWERED);
            }
            add(
                    "broken-json",
                    path,
                    "{\"locale\":\"zz!guard\",\"email\":\"eve@evil.test\",\"email\":" + kit.emailJson()
                            + ",\"code\":\"1\",\"code\":\"123456\",\"purpose\":\"a\",\"purpose\":\"Not A Purpose!\"}",
                    ANSWERED);
        }
    }

    /** Batches answer 200 with every line refused; checks of unknown verifications answer 404. */
    private static Expect REFUSED_400_OR_OK(String path) {
        return Expect.oneOf(Set.of(200, 400, 404, 415), Set.of());
    }

    private void randomMutations(int count) {
        List<String[]> bases = List.of(
                new String[] {
                    START, object("email", BROKEN_EMAIL, "locale", GUARD_LOCALE, "name", "\"Ada\"", "purpose", "\"x\"")
                },
                new String[] {
                    BATCH, object("purpose", GUARD_PURPOSE, "recipients", "[{\"email\":" + BROKEN_EMAIL + "},{}]")
                },
                new String[] {CHECK_BY_EMAIL, object("email", BROKEN_EMAIL, "code", "\"123456\"", "purpose", "\"x\"")},
                new String[] {kit.checkPath(), object("code", "\"123456\"")});
        List<String> tokens = List.of(
                "{",
                "}",
                "[",
                "]",
                "\"",
                "\\",
                ",",
                ":",
                "\\u0000",
                "\\ud800",
                "NaN",
                "null",
                "1e999",
                "\u0000",
                "\r\n",
                "\u2028",
                "\uFEFF",
                "/*",
                "\"\":",
                "[[[[[[[[",
                "]]]]",
                "{\"email\":",
                "\\\"");
        for (int i = 0; i < count; i++) {
            String[] base = kit.pick(bases);
            byte[] body = utf8(base[1]);
            int mutations = 1 + kit.random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                body = mutate(body, tokens);
            }
            add("broken-json", base[0], body, Expect.oneOf(Set.of(200, 400, 404), Set.of()));
        }
    }

    private byte[] mutate(byte[] body, List<String> tokens) {
        int at = body.length == 0 ? 0 : kit.random.nextInt(body.length);
        switch (kit.random.nextInt(6)) {
            case 0:
                return java.util.Arrays.copyOf(body, at);
            case 1:
                return splice(body, at, bytes(kit.random.nextInt(256)));
            case 2:
                return body.length == 0 ? body : remove(body, at);
            case 3:
                if (body.length > 0) {
                    body = body.clone();
                    body[at] ^= (byte) (1 << kit.random.nextInt(8));
                }
                return body;
            case 4:
                return splice(body, at, utf8(kit.pick(tokens)));
            default:
                if (body.length > 0) {
                    body = body.clone();
                    body[at] = (byte) kit.random.nextInt(256);
                }
                return body;
        }
    }

    private void wrongTypes() {
        for (String wrong : HostileValues.WRONG_TYPES) {
            startField("email", wrong);
            startField("name", wrong);
            startField("purpose", wrong);
            startField("locale", wrong);
            startField("client_ip", wrong);
            add(
                    "wrong-types",
                    kit.checkPath(),
                    object("code", wrong),
                    Expect.problem(400, "invalid_request").mentioning("code"));
            add("wrong-types", CHECK_BY_EMAIL, object("email", wrong, "code", "\"123456\""), badField("email"));
            add("wrong-types", CHECK_BY_EMAIL, object("email", kit.emailJson(), "code", wrong), badField("code"));
            add(
                    "wrong-types",
                    CHECK_BY_EMAIL,
                    object("email", kit.emailJson(), "code", "\"123456\"", "purpose", wrong),
                    badField("purpose"));
            add(
                    "wrong-types",
                    BATCH,
                    object("recipients", wrong),
                    wrong.startsWith("[") ? BATCH_ALL_REFUSED : badField("recipients"));
            add(
                    "wrong-types",
                    BATCH,
                    object("recipients", "[{\"email\":" + kit.emailJson() + "}]", "purpose", wrong),
                    badField("purpose"));
            for (String field : List.of("email", "name", "locale")) {
                String recipient =
                        field.equals("email") ? object("email", wrong) : object("email", kit.emailJson(), field, wrong);
                add(
                        "wrong-types",
                        BATCH,
                        object("recipients", "[" + recipient + "]"),
                        batchLine("recipients[0]." + field));
            }
            add("wrong-types", BATCH, object("recipients", "[" + wrong + "]"), batchLine("recipients[0]"));
        }
        // null: "is required" for required fields; for optional ones it means absent, so guard the rest
        add("wrong-types", START, object("email", "null"), badField("email"));
        add("wrong-types", START, object("name", "\"Ada\""), badField("email"));
        add("wrong-types", kit.checkPath(), object("code", "null"), badField("code"));
        add(
                "wrong-types",
                kit.checkPath(),
                "{\"Code\":\"123456\",\"CODE\":\"123456\",\"code \":\"123456\"}",
                badField("code"));
        add("wrong-types", CHECK_BY_EMAIL, object("email", "null", "code", "\"123456\""), badField("email"));
        add("wrong-types", CHECK_BY_EMAIL, object("email", kit.emailJson(), "code", "null"), badField("code"));
        add("wrong-types", BATCH, object("recipients", "null"), badField("recipients"));
        add("wrong-types", BATCH, object("purpose", "\"verify_email\""), badField("recipients"));
        for (String field : List.of("name", "purpose", "client_ip")) {
            add(
                    "wrong-types",
                    START,
                    object("email", kit.emailJson(), field, "null", "locale", GUARD_LOCALE),
                    REFUSED_400);
        }
        add(
                "wrong-types",
                START,
                object("email", kit.emailJson(), "locale", "null", "purpose", GUARD_PURPOSE),
                REFUSED_400);
        add(
                "wrong-types",
                START,
                object(
                        "email",
                        kit.emailJson(),
                        "locale",
                        GUARD_LOCALE,
                        "__proto__",
                        "{\"admin\":true}",
                        "constructor",
                        "{\"prototype\":{}}",
                        "email ",
                        "\"eve@evil.test\"",
                        "Email",
                        "\"eve@evil.test\""),
                REFUSED_400);
    }

    private void startField(String field, String wrong) {
        String body = field.equals("email") ? object("email", wrong) : object("email", kit.emailJson(), field, wrong);
        add("wrong-types", START, body, badField(field));
    }

    private static Expect badField(String field) {
        return Expect.problem(400, "invalid_request").mentioning(field);
    }

    private static Expect batchLine(String field) {
        return BATCH_ALL_REFUSED.mentioning(field);
    }

    private void hugeStrings() {
        int[] sizes = {64 * 1024, MAX_BODY - 1, MAX_BODY, MAX_BODY + 1, 2 * MAX_BODY};
        for (int size : sizes) {
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":\"", "a", "@example.com\"}", size),
                    sized(size, "invalid_email"));
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":" + kit.emailJson() + ",\"name\":\"", "a", "\"}", size),
                    sized(size, "invalid_request"));
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":" + kit.emailJson() + ",\"purpose\":\"", "a", "\"}", size),
                    sized(size, "invalid_request"));
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":" + kit.emailJson() + ",\"locale\":\"en-", "a", "\"}", size),
                    sized(size, "invalid_request"));
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":" + kit.emailJson() + ",\"client_ip\":\"1", "1", "\"}", size),
                    sized(size, "invalid_request"));
            add(
                    "huge-strings",
                    START,
                    padded(
                            "{\"locale\":" + GUARD_LOCALE + ",\"email\":" + kit.emailJson() + ",\"x\":\"",
                            " ",
                            "\"}",
                            size),
                    sized(size, "invalid_request"));
            add(
                    "huge-strings",
                    kit.checkPath(),
                    padded("{\"code\":\"", "1", "\"}", size),
                    sized(size, "invalid_code_format"));
            add(
                    "huge-strings",
                    CHECK_BY_EMAIL,
                    padded("{\"code\":\"123456\",\"email\":\"", "a", "@example.com\"}", size),
                    size > MAX_BODY ? sized(size, "") : NO_MATCH);
            add(
                    "huge-strings",
                    BATCH,
                    padded(
                            "{\"purpose\":" + GUARD_PURPOSE + ",\"recipients\":[{\"email\":" + kit.emailJson()
                                    + ",\"name\":\"",
                            "b",
                            "\"}]}",
                            size),
                    size > MAX_BODY ? sized(size, "") : BATCH_ALL_REFUSED);
            add(
                    "huge-strings",
                    START,
                    padded("{\"email\":" + kit.emailJson() + ",\"locale\":" + GUARD_LOCALE + "}", " ", "", size),
                    sized(size, "invalid_request"));
        }
        // three UTF-8 bytes per character: the limit is on bytes, not characters
        String cjk = "\u760D".repeat(MAX_BODY / 3 - 20);
        add(
                "huge-strings",
                START,
                "{\"email\":" + kit.emailJson() + ",\"name\":\"" + cjk + "\"}",
                Expect.problem(400, "invalid_request").mentioning("name"));
        add(
                "huge-strings",
                START,
                "{\"email\":" + kit.emailJson() + ",\"name\":\"" + cjk + cjk.substring(0, 100) + "\"}",
                Expect.problem(413, "payload_too_large"));
        add(
                "huge-strings",
                START,
                "{\"email\":" + kit.emailJson() + ",\"name\":\"" + "\\u760d".repeat(MAX_BODY / 6 - 10) + "\"}",
                Expect.problem(400, "invalid_request").mentioning("name"));
        for (int size : new int[] {MAX_BODY + 1, 3 * MAX_BODY}) {
            byte[] body = padded("{\"email\":" + kit.emailJson() + ",\"name\":\"", "a", "\"}", size);
            out.add(new Probe.Http(
                    "huge-strings",
                    "POST",
                    START,
                    ProbeKit.headers("Content-Type", "application/json", "Authorization", ProbeKit.AUTH),
                    body,
                    true,
                    Expect.problem(413, "payload_too_large")));
        }
    }

    private static Expect sized(int size, String code) {
        if (size > MAX_BODY) {
            return Expect.problem(413, "payload_too_large");
        }
        return code.isEmpty() ? REFUSED_400 : Expect.problem(400, code);
    }

    private static byte[] padded(String prefix, String filler, String suffix, int totalBytes) {
        int fill = totalBytes - utf8(prefix).length - utf8(suffix).length;
        return utf8(prefix + filler.repeat(Math.max(0, fill)) + suffix);
    }

    private void deepNesting() {
        for (String[] base : bases()) {
            String path = base[0];
            for (int depth : new int[] {30, 31, 32, 33, 100, 10_000, 100_000}) {
                add("deep-nesting", path, "[".repeat(depth) + "]".repeat(depth), BAD_JSON);
                add("deep-nesting", path, "{\"a\":".repeat(depth) + "1" + "}".repeat(depth), ANSWERED);
            }
            add("deep-nesting", path, "[".repeat(10_000), BAD_JSON);
            add("deep-nesting", path, "{\"a\":".repeat(10_000), BAD_JSON);
        }
        for (int depth : new int[] {5, 31, 32, 10_000}) {
            String nested = "[".repeat(depth) + "\"x\"" + "]".repeat(depth);
            add("deep-nesting", START, "{\"email\":" + nested + "}", Expect.problem(400, "invalid_request"));
            add(
                    "deep-nesting",
                    START,
                    "{\"email\":" + kit.emailJson() + ",\"name\":" + nested + "}",
                    Expect.problem(400, "invalid_request"));
            add("deep-nesting", kit.checkPath(), "{\"code\":" + nested + "}", Expect.problem(400, "invalid_request"));
            add("deep-nesting", BATCH, "{\"recipients\":[" + nested + "]}", Expect.oneOf(Set.of(200, 400), Set.of()));
            add("deep-nesting", BATCH, "{\"recipients\":" + nested + "}", Expect.oneOf(Set.of(200, 400), Set.of()));
        }
    }

    /**
     * Each hostile value in each field of each endpoint, alone and around legal text. Values that
     * must be refused go alone; values a field may legally hold (an emoji in a name, an IDN domain)
     * go with {@link ProbeKit#GUARD_LOCALE}, so they still exercise the validation before it.
     */
    private void hostileValues(String category, List<String> vectors) {
        for (String v : vectors) {
            String n = Integer.toString(kit.random.nextInt(1_000_000));
            for (String email : List.of(
                    v,
                    v + kit.email(),
                    kit.email() + v,
                    "fuzz" + v + n + "@example.com",
                    "fuzz" + n + "@exa" + v + "mple.com")) {
                if (HostileValues.hasControl(email)) {
                    add(category, START, object("email", kit.str(email)), Expect.problem(400, "invalid_email"));
                } else {
                    add(
                            category,
                            START,
                            object("email", kit.str(email), "locale", GUARD_LOCALE),
                            Expect.oneOf(Set.of(400), Set.of("invalid_email", "invalid_request")));
                }
                add(category, CHECK_BY_EMAIL, object("email", kit.str(email), "code", "\"123456\""), NO_MATCH);
            }
            for (String name : List.of(v, "Ada" + v, "Ada " + v + " Lovelace")) {
                if (HostileValues.hasControl(name) && !name.isBlank()) {
                    add(category, START, object("email", kit.emailJson(), "name", kit.str(name)), badField("name"));
                } else {
                    add(
                            category,
                            START,
                            object("email", kit.emailJson(), "name", kit.str(name), "locale", GUARD_LOCALE),
                            Expect.problem(400, "invalid_request"));
                }
            }
            for (String purpose : List.of(v, "verify_email" + v)) {
                add(
                        category,
                        START,
                        object("email", kit.emailJson(), "purpose", kit.str(purpose)),
                        badField("purpose"));
                add(
                        category,
                        CHECK_BY_EMAIL,
                        object("email", kit.emailJson(), "code", "\"123456\"", "purpose", kit.str(purpose)),
                        badField("purpose"));
            }
            // alone, "\r\nbody" strips to "body", a valid language tag: keep the vector inside or before junk
            for (String locale : List.of("en" + v + "GB", v + "-!")) {
                add(category, START, object("email", kit.emailJson(), "locale", kit.str(locale)), badField("locale"));
            }
            for (String ip : List.of(v, "203.0.113.9" + v, "2001:db8::" + v)) {
                add(category, START, object("email", kit.emailJson(), "client_ip", kit.str(ip)), badField("client_ip"));
            }
            for (String code : List.of(v, "123" + v + "456", v + "123456")) {
                add(category, kit.checkPath(), object("code", kit.str(code)), CODE_REFUSED);
            }
        }
    }

    private void notAnAddress() {
        for (String email : HostileValues.NOT_AN_ADDRESS) {
            add(
                    "header-injection",
                    START,
                    object("email", kit.str(email), "name", "\"Ada\""),
                    Expect.problem(400, "invalid_email"));
            add("header-injection", CHECK_BY_EMAIL, object("email", kit.str(email), "code", "\"123456\""), NO_MATCH);
        }
    }

    private void hostileBatches(int count) {
        List<String> vectors = new ArrayList<>(HostileValues.INJECTION);
        vectors.addAll(HostileValues.ODD_UNICODE);
        for (int i = 0; i < count; i++) {
            int size = 1 + kit.random.nextInt(40);
            StringBuilder recipients = new StringBuilder("[");
            boolean guard = false;
            for (int r = 0; r < size; r++) {
                String v = kit.pick(vectors);
                String recipient;
                switch (kit.random.nextInt(5)) {
                    case 0:
                        recipient = object("email", kit.str(kit.pick(HostileValues.NOT_AN_ADDRESS)));
                        break;
                    case 1:
                        recipient = object("email", kit.str(kit.email() + v));
                        guard |= !HostileValues.hasControl(v);
                        break;
                    case 2:
                        recipient = object("email", kit.emailJson(), "name", kit.str("Ada" + v));
                        guard = true;
                        break;
                    case 3:
                        recipient = object("email", kit.emailJson(), "locale", kit.str("en" + v + "GB"));
                        break;
                    default:
                        recipient = kit.pick(List.of(
                                "null",
                                "42",
                                "\"" + "eve@evil.test" + "\"",
                                "[]",
                                "{}",
                                "[{\"email\":\"a@b.co\"}]",
                                object("email", "[" + kit.emailJson() + "]"),
                                object("Email", kit.emailJson())));
                }
                recipients.append(r == 0 ? "" : ",").append(recipient);
            }
            recipients.append(']');
            String purpose = guard
                    ? GUARD_PURPOSE
                    : kit.coin() ? "\"verify_email\"" : kit.str("verify_email" + kit.pick(vectors));
            add(
                    "batch-hostile",
                    BATCH,
                    object("purpose", purpose, "recipients", recipients.toString()),
                    BATCH_ALL_REFUSED);
        }
        StringBuilder tenThousand = new StringBuilder("{\"recipients\":[");
        for (int i = 0; i < 10_000; i++) {
            tenThousand
                    .append(i == 0 ? "" : ",")
                    .append("{\"email\":\"fuzz")
                    .append(i)
                    .append("@example.com\\r\\nBcc: eve@evil.test\"}");
        }
        add("batch-hostile", BATCH, tenThousand.append("]}").toString(), BATCH_ALL_REFUSED);
        StringBuilder tooMany = new StringBuilder("{\"recipients\":[");
        for (int i = 0; i <= 10_000; i++) {
            tooMany.append(i == 0 ? "" : ",")
                    .append("{\"email\":\"")
                    .append(kit.email())
                    .append("\"}");
        }
        add("batch-hostile", BATCH, tooMany.append("]}").toString(), Expect.problem(400, "batch_too_large"));
        add(
                "batch-hostile",
                BATCH,
                "{\"recipients\":[" + "null,".repeat(20_000) + "null]}",
                Expect.problem(400, "batch_too_large"));
        add("batch-hostile", BATCH, "{\"recipients\":[],\"purpose\":" + GUARD_PURPOSE + "}", BATCH_ALL_REFUSED);
    }

    private void add(String category, String path, String body, Expect expect) {
        out.add(post(category, path, body, expect));
    }

    private void add(String category, String path, byte[] body, Expect expect) {
        out.add(post(category, path, body, expect));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] splice(byte[] body, int at, byte[] insert) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream(body.length + insert.length);
        joined.write(body, 0, at);
        joined.write(insert, 0, insert.length);
        joined.write(body, at, body.length - at);
        return joined.toByteArray();
    }

    private static byte[] remove(byte[] body, int at) {
        byte[] out = new byte[body.length - 1];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(body, at + 1, out, at, body.length - at - 1);
        return out;
    }
}
