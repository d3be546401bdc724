package io.otpgate.server;

import static io.otpgate.server.HostileValues.object;
import static io.otpgate.server.HostileValues.utf8;
import static io.otpgate.server.ProbeKit.AUTH;
import static io.otpgate.server.ProbeKit.BATCH;
import static io.otpgate.server.ProbeKit.CHECK_BY_EMAIL;
import static io.otpgate.server.ProbeKit.GUARD_LOCALE;
import static io.otpgate.server.ProbeKit.GUARD_PURPOSE;
import static io.otpgate.server.ProbeKit.START;
import static io.otpgate.server.ProbeKit.headers;
import static io.otpgate.server.ProbeKit.request;

import io.otpgate.server.Probe.Expect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Hostile requests at the HTTP level: ids in paths, methods, content types, credentials. */
final class HostileHttp {

    private static final Expect ANY = Expect.ANY;
    private static final Expect UNAUTHORIZED = Expect.problem(401, "unauthorized");

    private final ProbeKit kit;
    private final List<Probe> out = new ArrayList<>();

    HostileHttp(ProbeKit kit) {
        this.kit = kit;
    }

    List<Probe> all() {
        pathTricks();
        wrongMethods();
        contentTypes();
        authorization();
        return out;
    }

    private void pathTricks() {
        String valid = kit.unknownId();
        byte[] code = utf8(object("code", "\"123456\""));
        for (String id : HostileValues.pathIds(valid)) {
            String base = "/v1/verifications/" + id;
            out.add(request("path-tricks", "GET", base, headers("Authorization", AUTH), new byte[0], ANY));
            out.add(request("path-tricks", "POST", base + "/check", json(), code, ANY));
            out.add(request("path-tricks", "POST", base + "/resend", headers("Authorization", AUTH), new byte[0], ANY));
            out.add(request("path-tricks", "POST", base + "/cancel", headers("Authorization", AUTH), new byte[0], ANY));
        }
        for (String path : List.of(
                "/v1/verifications//check",
                "/v1/verifications/" + valid + "/",
                "/v1/verifications/" + valid + "//check",
                "//v1/verifications/" + valid,
                "/v1//verifications/" + valid,
                "/v1/verifications/" + valid + "/check/",
                "/v1/verifications/" + valid + "/check?code=123456",
                "/v1/verifications/" + valid + "/CHECK",
                "/V1/verifications/" + valid,
                "/v1/verifications/" + valid + "/check/..",
                "/v1/verifications/" + valid + "/resend/../cancel",
                "/v1/verifications/" + valid + "/%2e%2e/cancel",
                "/v1/./verifications/" + valid,
                "/v1/verifications/" + valid + "/check;x=1",
                "/v1/verifications/./check",
                "/v1/verifications/" + valid + "/check%00",
                "/v1/verifications/" + valid + "/check%2F",
                "/v1/verifications%2F" + valid,
                "/v1/verifications/" + valid + "/check/extra",
                "/v1/verifications/" + valid + "/approve",
                "/v1/verifications/" + valid + "/check?" + "x".repeat(4_000),
                "/v1/stats/../verifications",
                "/v1/verifications/../verifications",
                "/v1/verifications/..;/verifications",
                "/v1/verifications/%2e",
                "/v1/verifications/%2e%2e",
                "/v1",
                "/v1/",
                "/v1/verifications/",
                "/v1/verifications//",
                "/v2/verifications",
                "/v1/verifications/batch/check",
                "/v1/verifications/check/check",
                "/v1/verifications/stats")) {
            for (String method : List.of("GET", "POST")) {
                out.add(request(
                        "path-tricks",
                        method,
                        path,
                        json(),
                        method.equals("POST") ? guardedStart() : new byte[0],
                        ANY));
            }
        }
    }

    private void wrongMethods() {
        String id = kit.unknownId();
        List<String[]> routes = List.of(
                new String[] {START, "POST"},
                new String[] {BATCH, "POST"},
                new String[] {CHECK_BY_EMAIL, "POST"},
                new String[] {"/v1/verifications/" + id, "GET"},
                new String[] {"/v1/verifications/" + id + "/check", "POST"},
                new String[] {"/v1/verifications/" + id + "/resend", "POST"},
                new String[] {"/v1/verifications/" + id + "/cancel", "POST"},
                new String[] {"/v1/stats", "GET"},
                new String[] {"/health/live", "GET"},
                new String[] {"/health/ready", "GET"},
                new String[] {"/metrics", "GET"},
                new String[] {"/openapi.json", "GET"},
                new String[] {"/", "GET"},
                new String[] {"/dev/mailbox", "GET"},
                new String[] {"/dev/mailbox/messages", "GET"});
        List<String> methods = List.of(
                "GET",
                "POST",
                "PUT",
                "DELETE",
                "PATCH",
                "OPTIONS",
                "HEAD",
                "TRACE",
                "FOO",
                "get",
                "PROPFIND",
                "M-SEARCH",
                "BREW",
                "QUERY",
                "X".repeat(200));
        for (String[] route : routes) {
            for (String method : methods) {
                if (method.equals(route[1])) {
                    continue;
                }
                boolean v1 = route[0].startsWith("/v1/");
                byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("TRACE")
                        ? new byte[0]
                        : guardedStart();
                // GET /v1/verifications/check is GET /v1/verifications/{id} with a malformed id: 404, not 405
                Expect expect = v1 && !method.equals("HEAD") && !method.equals("POST")
                        ? Expect.oneOf(Set.of(404, 405), Set.of("invalid_request", "not_found"))
                        : ANY;
                out.add(request("wrong-methods", method, route[0], json(), body, expect));
                if (v1) {
                    out.add(request(
                            "wrong-methods", method, route[0], headers("Content-Type", "application/json"), body, ANY));
                }
            }
        }
    }

    private void contentTypes() {
        String id = kit.unknownId();
        List<String> types = List.of(
                "",
                "text/plain",
                "text/plain; charset=utf-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/xml",
                "text/json",
                "text/html",
                "application/problem+json",
                "application/json-patch+json",
                "application/jsonx",
                "APPLICATION/JSON",
                "Application/Json; Charset=UTF-8",
                "application/json; charset=utf-16",
                "application/json; charset=iso-8859-1",
                "application/json;;;;",
                "application/json, text/plain",
                "*/*",
                ";",
                "application",
                "application/",
                "json",
                "application/json; boundary=\"" + "x".repeat(3_000) + "\"",
                "application/octet-stream",
                "image/png");
        for (String path : List.of(
                START,
                BATCH,
                CHECK_BY_EMAIL,
                "/v1/verifications/" + id + "/check",
                "/v1/verifications/" + id + "/resend",
                "/v1/verifications/" + id + "/cancel")) {
            for (String type : types) {
                List<String> h = headers("Authorization", AUTH);
                if (!type.isEmpty()) {
                    h.addAll(List.of("Content-Type", type));
                }
                byte[] body =
                        type.contains("utf-16") ? guardedStartText().getBytes(StandardCharsets.UTF_16) : guardedStart();
                out.add(request(
                        "content-types", "POST", path, h, body, Expect.oneOf(Set.of(200, 400, 404, 415), Set.of())));
            }
            out.add(request(
                    "content-types",
                    "POST",
                    path,
                    headers("Authorization", AUTH, "Content-Type", "application/x-www-form-urlencoded"),
                    utf8("email=" + kit.email() + "&locale=zz!guard"),
                    Expect.oneOf(Set.of(415), Set.of("invalid_request"))));
            out.add(request(
                    "content-types",
                    "POST",
                    path,
                    headers("Authorization", AUTH, "Content-Type", "multipart/form-data; boundary=b"),
                    utf8("--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n" + kit.email()
                            + "\r\n--b--\r\n"),
                    Expect.oneOf(Set.of(415), Set.of("invalid_request"))));
        }
    }

    /**
     * A valid start body behind each broken credential: only the credential stands between it and a
     * 201. (The key in another case is left out: see {@link FuzzTest#anApiKeyInAnotherCaseIsRefusedOnAKeptAliveConnection}.)
     */
    private void authorization() {
        String key = ServiceFixture.KEY;
        List<String> values = new ArrayList<>(List.of(
                "",
                "Bearer",
                "Bearer ",
                "Bearer  ",
                key,
                "Bearer" + key,
                "Basic " + base64(key),
                "Basic " + base64("api:" + key),
                "Token " + key,
                "Bearer " + key.substring(0, key.length() - 1),
                "Bearer " + key + "x",
                "Bearer x" + key,
                "Bearer " + key + " " + key,
                "Bearer " + key + "," + "Bearer " + key,
                "Bearer \"" + key + "\"",
                "Bearer " + base64(key),
                "Bearer " + "A".repeat(7_000),
                "Bearer null",
                "Bearer undefined",
                "Bearer *",
                "Bearer ' OR 1=1 --",
                "Bearer " + key.substring(1),
                "Bearer " + key + key,
                "Bearer\t" + key,
                "Bearer:" + key,
                "Bearer=" + key,
                "Digest " + key,
                "Bearer %74est-api-key",
                "Bearer " + key.replace('-', '_'),
                "Bearer " + key + "\u00e9",
                "Bearer " + "\u00ff".repeat(10),
                "Bearer " + key.substring(0, 8)));
        for (int i = 0; i < 12; i++) {
            char[] chars = key.toCharArray();
            int at = kit.random.nextInt(chars.length);
            chars[at] = chars[at] == 'a' ? 'b' : 'a';
            values.add("Bearer " + new String(chars));
        }
        for (String value : values) {
            List<String> h = headers("Content-Type", "application/json");
            if (!value.isEmpty()) {
                h.addAll(List.of("Authorization", value));
            }
            out.add(request("authorization", "POST", START, h, utf8(object("email", kit.emailJson())), UNAUTHORIZED));
            List<String> get = value.isEmpty() ? headers() : headers("Authorization", value);
            out.add(request("authorization", "GET", "/v1/stats", get, new byte[0], UNAUTHORIZED));
            out.add(request(
                    "authorization", "GET", "/v1/verifications/" + kit.unknownId(), get, new byte[0], UNAUTHORIZED));
        }
        for (String path : List.of(
                START + "?api_key=" + key, START + "?access_token=" + key, START + "?authorization=Bearer%20" + key)) {
            out.add(request(
                    "authorization",
                    "POST",
                    path,
                    headers("Content-Type", "application/json"),
                    utf8(object("email", kit.emailJson())),
                    UNAUTHORIZED));
        }
        for (String header :
                List.of("X-Api-Key", "Api-Key", "Proxy-Authorization", "X-Authorization", "Authorisation")) {
            out.add(request(
                    "authorization",
                    "POST",
                    START,
                    headers("Content-Type", "application/json", header, header.contains("Auth") ? AUTH : key),
                    utf8(object("email", kit.emailJson())),
                    UNAUTHORIZED));
        }
    }

    private byte[] guardedStart() {
        return utf8(guardedStartText());
    }

    private String guardedStartText() {
        return kit.coin()
                ? object("email", kit.emailJson(), "locale", GUARD_LOCALE)
                : object(
                        "purpose",
                        GUARD_PURPOSE,
                        "recipients",
                        "[{\"email\":" + kit.emailJson() + "}]",
                        "email",
                        kit.emailJson(),
                        "code",
                        "\"123456\"",
                        "locale",
                        GUARD_LOCALE);
    }

    private static List<String> json() {
        return headers("Content-Type", "application/json", "Authorization", AUTH);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
