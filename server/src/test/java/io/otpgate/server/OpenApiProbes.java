package io.otpgate.server;

import static io.otpgate.server.HostileValues.utf8;
import static io.otpgate.server.ProbeKit.AUTH;
import static io.otpgate.server.ProbeKit.GUARD_LOCALE;
import static io.otpgate.server.ProbeKit.GUARD_PURPOSE;
import static io.otpgate.server.ProbeKit.headers;
import static io.otpgate.server.ProbeKit.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.server.Probe.Expect;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Requests generated from the service's own {@code /openapi.json}, so a route or field added to
 * the API is fuzzed without anyone writing a probe for it: every path template with its ids
 * mutated, every method it does not document, odd headers and framing, and JSON bodies whose
 * shapes are mutated from the request schemas (wrong types, nulls, deep nesting, huge numbers,
 * duplicate keys, bytes that are not UTF-8). Every body stays guarded (see {@link ProbeKit}), so
 * nothing it sends can start a verification.
 */
final class OpenApiProbes {

    private static final Expect INVALID_REQUEST = Expect.problem(400, "invalid_request");
    private static final List<String> HTTP_METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY", "FOO", "get");
    private static final List<String> WRONG_TYPES = List.of(
            "12345",
            "-0",
            "true",
            "[]",
            "{}",
            "null",
            "[\"ada@example.com\"]",
            "{\"value\":\"ada@example.com\"}",
            "1e400",
            "-1e400",
            "123456789012345678901234567890123456789",
            "0.0000000000000000000000000000001",
            "\"\"");

    private final ProbeKit kit;
    private final JsonNode spec;
    private final String host;
    private final List<Probe> out = new ArrayList<>();

    OpenApiProbes(ProbeKit kit, JsonNode spec, int port) {
        this.kit = kit;
        this.spec = spec;
        this.host = "127.0.0.1:" + port;
    }

    List<Probe> all() {
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Set<String> documented = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (OpenApiContract.METHODS.contains(m)) {
                    documented.add(m.toUpperCase(Locale.ROOT));
                }
            });
            idsMutated(path.getKey(), documented);
            wrongMethods(path.getKey(), documented);
            documented.forEach(method -> oddHeaders(method, path.getKey()));
            documented.forEach(method -> {
                JsonNode schema = path.getValue()
                        .path(method.toLowerCase(Locale.ROOT))
                        .path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                if (!schema.isMissingNode()) {
                    bodies(path.getKey(), resolve(schema));
                }
            });
        }
        return out;
    }

    /** Each template with every {@code {param}} replaced by each hostile id, for its documented methods. */
    private void idsMutated(String template, Set<String> documented) {
        if (!template.contains("{")) {
            return;
        }
        String valid = kit.unknownId();
        List<String> ids = new ArrayList<>(HostileValues.pathIds(valid));
        ids.addAll(List.of(
                "{id}",
                "%7Bid%7D",
                valid.toUpperCase(Locale.ROOT),
                valid + "%0d%0aX-Injected:%201",
                valid.replace('0', '\u0660'),
                "ver_" + "I".repeat(26),
                "ver_" + "0".repeat(27),
                "%F0%9F%98%80",
                "%C0%AF",
                "%FF"));
        for (String id : ids) {
            String path = template.replaceAll("\\{[^}]+}", id);
            for (String method : documented) {
                out.add(request(
                        "openapi-ids",
                        method,
                        path,
                        json(),
                        method.equals("POST") ? guarded(template) : new byte[0],
                        Expect.ANY));
            }
        }
    }

    private void wrongMethods(String template, Set<String> documented) {
        String path = concrete(template);
        for (String method : HTTP_METHODS) {
            if (documented.contains(method)) {
                continue;
            }
            byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0] : guarded(template);
            out.add(request("openapi-wrong-methods", method, path, json(), body, Expect.ANY));
        }
    }

    /** Headers and framing a client should not send, on each documented operation. */
    private void oddHeaders(String method, String template) {
        String path = concrete(template);
        byte[] body = method.equals("POST") ? guarded(template) : new byte[0];
        List<String> many = json();
        for (int i = 0; i < 100; i++) {
            many.addAll(List.of("X-Many-" + i, "v" + i));
        }
        out.add(request("openapi-headers", method, path, many, body, Expect.ANY));
        for (String[] header : new String[][] {
            {"X-Huge", "h".repeat(6_000)},
            {"Content-Type", "application/json; charset=\""},
            {"Content-Type", "application/json; charset=utf-32"},
            {"Content-Type", "multipart/mixed; boundary=" + "b".repeat(200)},
            {"Accept", "application/xml"},
            {"Accept-Charset", "ebcdic"},
            {"Accept-Language", "ar;q=x, " + "zz-".repeat(300)},
            {"X-Request-Id", "../../etc/passwd"},
            {"X-Request-Id", "r".repeat(2_000)},
            {"X-Forwarded-For", "1.1.1.1, ::1, garbage, " + "9".repeat(100)},
            {"Cookie", "otpgate_lang=" + "x".repeat(500) + "; otpgate_csrf=\u00ff"},
            {"Expect", "100-continue"},
            {"Range", "bytes=0-1,2-3,4-5"},
            {"Origin", "null"}
        }) {
            List<String> h = json();
            int existing = h.indexOf(header[0]);
            if (existing >= 0) {
                h.set(existing + 1, header[1]);
            } else {
                h.addAll(List.of(header[0], header[1]));
            }
            out.add(request("openapi-headers", method, path, h, body, Expect.ANY));
        }
        String guardedText = new String(body, StandardCharsets.UTF_8);
        for (String framing : List.of(
                "Content-Length: 99999999999999999999999\r\n",
                "Content-Length: -1\r\n",
                "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 5) + "\r\n",
                "Content-Length: 1" + body.length + "\r\n",
                "Transfer-Encoding: chunked\r\nContent-Length: " + body.length + "\r\n",
                "Transfer-Encoding: gzip, chunked\r\n",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                "Transfer-Encoding: xchunked\r\n",
                "Transfer-Encoding:\tchunked\r\n",
                "Transfer-Encoding : chunked\r\n",
                "X-Folded: a\r\n  Transfer-Encoding: chunked\r\n")) {
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH
                    + "\r\nContent-Type: application/json\r\n" + framing + "\r\n";
            String chunked = framing.contains("chunked")
                    ? Integer.toHexString(body.length) + "\r\n" + guardedText + "\r\n0\r\n\r\n"
                    : guardedText;
            out.add(new Probe.Raw("openapi-framing", (head + chunked).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The schema's object, guarded, then again with each field mutated: types, duplicates, depth, bytes. */
    private void bodies(String template, JsonNode schema) {
        String path = concrete(template);
        Map<String, String> base = base(template, schema);
        for (String field : base.keySet()) {
            for (String wrong : WRONG_TYPES) {
                out.add(post("openapi-types", path, with(base, field, wrong), Expect.ANY));
            }
            out.add(post("openapi-nesting", path, with(base, field, "[".repeat(40) + "]".repeat(40)), INVALID_REQUEST));
            out.add(post(
                    "openapi-nesting",
                    path,
                    with(base, field, "{\"a\":".repeat(40) + "1" + "}".repeat(40)),
                    INVALID_REQUEST));
            String body = object(base);
            String duplicated = body.substring(0, body.length() - 1) + ",\"" + field + "\":" + base.get(field) + "}";
            out.add(post("openapi-duplicates", path, utf8(duplicated), INVALID_REQUEST.mentioning(field)));
            for (byte[] bad : List.of(
                    new byte[] {(byte) 0xFF},
                    new byte[] {(byte) 0xC3, (byte) 0x28},
                    new byte[] {(byte) 0xC0, (byte) 0xAF},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
                out.add(post("openapi-not-utf8", path, notUtf8(base, field, bad), INVALID_REQUEST));
            }
        }
        out.add(post("openapi-types", path, utf8(object(base)), Expect.ANY));
        JsonNode recipients = schema.path("properties").path("recipients");
        if (recipients.has("items")) {
            String entry = "{\"email\":" + kit.emailJson() + ",\"email\":" + kit.emailJson() + "}";
            out.add(post(
                    "openapi-duplicates",
                    path,
                    utf8(object(with(base, "recipients", "[" + entry + "]"))),
                    INVALID_REQUEST.mentioning("recipients[0].email")));
        }
    }

    /**
     * A value per documented property, each valid on its own, and together refused: a start carries
     * a locale that does not exist, a batch a purpose that cannot, a check an id or address nobody has.
     */
    private Map<String, String> base(String template, JsonNode schema) {
        Map<String, String> base = new LinkedHashMap<>();
        for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
            String field = it.next();
            base.put(
                    field,
                    switch (field) {
                        case "email" -> kit.emailJson();
                        case "code" -> "\"123456\"";
                        case "name" -> "\"Ada\"";
                        case "locale" -> GUARD_LOCALE;
                        case "purpose" -> GUARD_PURPOSE;
                        case "client_ip" -> "\"192.0.2.1\"";
                        case "recipients" -> "[{\"email\":" + kit.emailJson() + ",\"locale\":" + GUARD_LOCALE + "}]";
                        default -> "\"x\"";
                    });
        }
        if (template.equals(ProbeKit.START) && !base.containsKey("locale")) {
            throw new IllegalStateException("a start without a locale to guard it");
        }
        return base;
    }

    private byte[] guarded(String template) {
        JsonNode schema = spec.path("paths")
                .path(template)
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        return schema.isMissingNode() ? new byte[0] : utf8(object(base(template, resolve(schema))));
    }

    private byte[] notUtf8(Map<String, String> base, String field, byte[] bad) {
        String marker = "\"\u0001MARK\u0001\"";
        String[] parts = object(with(base, field, marker)).split(marker, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(utf8(parts[0] + "\"a"));
        bytes.writeBytes(bad);
        bytes.writeBytes(utf8("b\"" + parts[1]));
        return bytes.toByteArray();
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        return ref == null ? schema : spec.at(OpenApiContract.localPointer(ref.asText()));
    }

    private String concrete(String template) {
        return template.replaceAll("\\{[^}]+}", kit.unknownId());
    }

    private static Map<String, String> with(Map<String, String> base, String field, String value) {
        Map<String, String> changed = new LinkedHashMap<>(base);
        changed.put(field, value);
        return changed;
    }

    private static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":")
                .append(v));
        return json.append('}').toString();
    }

    private static Probe.Http post(String category, String path, byte[] body, Expect expect) {
        return request(category, "POST", path, json(), body, expect);
    }

    private static Probe.Http post(String category, String path, Map<String, String> body, Expect expect) {
        return post(category, path, utf8(object(body)), expect);
    }

    private static List<String> json() {
        return headers("Content-Type", "application/json", "Authorization", AUTH);
    }
}
