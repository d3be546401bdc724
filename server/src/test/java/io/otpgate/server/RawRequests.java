package io.otpgate.server;

import static io.otpgate.server.ProbeKit.AUTH;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What HttpClient refuses to send, written byte for byte on a socket: broken request lines,
 * HTTP/0.9, absurd methods, invalid header bytes, bare CR or LF, lying lengths, smuggling shapes.
 * Every body is hostile JSON, so nothing can start a verification however the server frames it.
 */
final class RawRequests {

    /** A status line; a pipelined one follows the previous body directly, without a line break. */
    private static final Pattern STATUS = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3}) ");

    private static final String BODY =
            "{\"email\":\"fuzz@example.com\\r\\nBcc: eve@evil.test\",\"locale\":\"zz!guard\",\"code\":\"12\"}";

    private final ProbeKit kit;
    private final String host;
    private final List<Probe> out = new ArrayList<>();

    RawRequests(ProbeKit kit, int port) {
        this.kit = kit;
        this.host = "127.0.0.1:" + port;
    }

    /** What came back on one connection: every status line, or how the connection ended. */
    record Answer(List<Integer> statuses, String ending, String text) {}

    /**
     * Writes the bytes, half-closes (so a server waiting for more sees the end rather than a slow
     * client), and reads until the server closes. A read that stalls is a hang.
     */
    static Answer send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            String ending = "closed";
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                OutputStream os = socket.getOutputStream();
                os.write(bytes);
                os.flush();
                socket.shutdownOutput();
            } catch (SocketException e) {
                ending = "reset while writing (" + e.getMessage() + ")";
            }
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                ending = "hang: no close within 15 s";
            } catch (SocketException e) {
                ending = "reset (" + e.getMessage() + ")";
            }
            String text = received.toString(StandardCharsets.ISO_8859_1);
            List<Integer> statuses = new ArrayList<>();
            Matcher m = STATUS.matcher(text);
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            return new Answer(statuses, ending, text);
        }
    }

    /** Probes the server answers cleanly today. */
    List<Probe> all() {
        requestLines();
        methods();
        headerBytes();
        lineBreaks();
        lengths();
        credentials();
        randomCombinations(220);
        return out;
    }

    /**
     * Bodies whose framing breaks while the handler reads them: shorter than their Content-Length
     * then end of stream, or chunked with a bad chunk size, chunk data or trailer. (See {@link
     * FuzzTest#brokenBodyFramingIsA400NotA500}.)
     */
    List<Probe> brokenBodyFraming() {
        List<Probe> broken = new ArrayList<>();
        for (String path : List.of(
                "/v1/verifications",
                "/v1/verifications/batch",
                "/v1/verifications/check",
                "/v1/verifications/" + kit.unknownId() + "/check")) {
            broken.add(raw("broken-body-framing", post(path, "Content-Length: 100\r\n", "{\"email\":\"x\"}")));
            broken.add(raw("broken-body-framing", post(path, "Content-Length: 1048576\r\n", BODY)));
            broken.add(raw("broken-body-framing", post(path, "Content-Length: 9223372036854775807\r\n", BODY)));
            broken.add(raw("broken-body-framing", post(path, "Transfer-Encoding: chunked\r\n", "5\r\n{\"a\":\r\n")));
            broken.add(raw("broken-body-framing", post(path, "Transfer-Encoding: chunked\r\n", BODY)));
            for (String chunks : BAD_CHUNKS) {
                broken.add(raw("broken-body-framing", post(path, "Transfer-Encoding: chunked\r\n", chunks)));
            }
        }
        return broken;
    }

    private static final List<String> BAD_CHUNKS = List.of(
            "-1\r\nx\r\n0\r\n\r\n",
            "zz\r\nx\r\n0\r\n\r\n",
            "FFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n",
            "5;" + "e".repeat(10_000) + "\r\n{\"a\":\r\n0\r\n\r\n",
            "2\r\n{\"a\":1}\r\n0\r\n\r\n",
            "0\r\nX: \u0000\r\n\r\n",
            "\r\n0\r\n\r\n",
            "5 \r\n{\"a\":\r\n0\r\n\r\n");

    private void requestLines() {
        String h = "Host: " + host + "\r\nAuthorization: " + AUTH + "\r\n";
        for (String line : List.of(
                "GET",
                "GET /",
                "GET / HTTP/0.9",
                "GET / HTTP/1",
                "GET / HTTP/1.1.1",
                "GET / HTTPS/1.1",
                "GET / http/1.1",
                "GET / HTTP/1.1 extra",
                "GET  /  HTTP/1.1",
                "GET /\tHTTP/1.1",
                " GET / HTTP/1.1",
                "GET / HTTP/ 1.1",
                "GET / HTTP/1.10",
                "GET / HTTP/01.1",
                "GET /v1/stats?x=\u0000 HTTP/1.1",
                "GET /v1/verifications/ver_\u00e9 HTTP/1.1",
                "GET /v1/verifications/\u00ff\u00fe HTTP/1.1",
                "GET /v1/verifications/\u00c0\u00af.. HTTP/1.1",
                "GET /v1/verifications/ver_0000000000000000000000000\r HTTP/1.1",
                "GET http://evil.test/v1/stats HTTP/1.1",
                "GET http://" + host + "/v1/stats HTTP/1.1",
                "GET https://" + host + "/v1/stats HTTP/1.1",
                "GET * HTTP/1.1",
                "OPTIONS * HTTP/1.1",
                "CONNECT evil.test:443 HTTP/1.1",
                "CONNECT " + host + " HTTP/1.1",
                "GET evil.test HTTP/1.1",
                "GET ../../etc/passwd HTTP/1.1",
                "GET /../../etc/passwd HTTP/1.1",
                "GET /v1/../../etc/passwd HTTP/1.1",
                "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
                "GET //v1//stats HTTP/1.1",
                "GET /v1/stats#frag HTTP/1.1",
                "GET /v1/stats?%zz HTTP/1.1",
                "GET /%zz HTTP/1.1",
                "GET /% HTTP/1.1",
                "GET /v1/verifications/%00 HTTP/1.1",
                "GET /v1/verifications/%0d%0aSet-Cookie:x=y HTTP/1.1",
                "GET /\\..\\..\\windows HTTP/1.1",
                "GET /;/v1/stats HTTP/1.1",
                "GET /v1/stats;x HTTP/1.1",
                "GET /v1/verifications/" + "a".repeat(10_000) + " HTTP/1.1",
                "GET /" + "a/".repeat(5_000) + " HTTP/1.1",
                "GET /?" + "a=1&".repeat(3_000) + " HTTP/1.1",
                "HTTP/1.1 200 OK",
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003",
                "SSH-2.0-OpenSSH_9.6",
                "\u0000\u0000\u0000\u0000")) {
            out.add(raw("request-lines", line + "\r\n" + h + "\r\n"));
        }
        for (String version : List.of("HTTP/1.2", "HTTP/2.0", "HTTP/3", "HTTP/9.9", "HTTP/0.9", "HTTP/1.0")) {
            out.add(raw("http-versions", "GET /v1/stats " + version + "\r\n" + h + "\r\n"));
        }
        out.add(raw("http-versions", "GET /\r\n"));
        out.add(raw("http-versions", "GET /v1/stats\r\n\r\n"));
        out.add(raw("http-versions", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        out.add(raw("request-lines", "\r\n".repeat(100) + "GET /health/live HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
        out.add(raw("request-lines", ""));
        out.add(raw("request-lines", "\r\n\r\n"));
        out.add(raw("request-lines", "GET /health/live HTTP/1.1\r\n"));
        out.add(raw("request-lines", "GET /health/live HTTP/1.1\r\nHost: " + host));
        out.add(raw("request-lines", "GET /" + "a".repeat(200_000) + " HTTP/1.1\r\n\r\n"));
        for (int i = 0; i < 12; i++) {
            byte[] noise = new byte[1 + kit.random.nextInt(2_000)];
            for (int b = 0; b < noise.length; b++) {
                noise[b] = (byte) kit.random.nextInt(256);
            }
            out.add(new Probe.Raw("request-lines", noise));
        }
    }

    private void methods() {
        String h = " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH
                + "\r\nContent-Type: application/json\r\n" + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        for (String method : List.of(
                "get",
                "Get",
                "G E T",
                "GET\u0000",
                "POST\u007f",
                "FOO",
                "X".repeat(1_000),
                "X".repeat(100_000),
                "M-SEARCH",
                "PROPFIND",
                "BREW",
                "TRACK",
                "DEBUG",
                "PURGE",
                "SEARCH",
                "QUERY",
                "CONNECT",
                "\u00ff\u00fe",
                "GET:",
                "HTTP/1.1",
                "PO\rST",
                "POST\t",
                "\u00c3\u00a9",
                "DELETE",
                "PUT",
                "PATCH",
                "TRACE",
                "HEAD",
                "OPTIONS")) {
            for (String path : List.of("/v1/verifications", "/v1/verifications/" + kit.unknownId(), "/v1/stats", "/")) {
                out.add(raw("absurd-methods", method + " " + path + h));
            }
        }
    }

    private void headerBytes() {
        List<String> bad = List.of(
                "Bad Header: x",
                "Bad\u0000Name: x",
                "X: a\u0000b",
                "X: a\u007fb",
                "X: a\rb",
                "X: \u00ff\u00fe",
                "\u00c3\u00a4: x",
                ": x",
                "NoColon",
                "X : y",
                "X: a\r\n b",
                "X:\ty",
                " X: leading-space",
                "X-Request-Id: a\rSet-Cookie: x=y",
                "X-Request-Id: " + "r".repeat(20_000),
                "X: " + "v".repeat(200_000),
                "Host: evil.test",
                "Host:",
                "Host: a b",
                "Host: \u0000",
                "Host: :::::",
                "Host: " + host + "\r\nHost: evil.test",
                "X-Forwarded-For: 1.2.3.4\r\nX-Forwarded-Host: evil.test",
                "X-Forwarded-For: \u0000, 999.1.1.1, ::g",
                "Content-Type: application/json\r\nContent-Type: text/plain",
                "Content-Type: application/json\u0000",
                "Expect: 100-continue",
                "Expect: weird",
                "Connection: Upgrade\r\nUpgrade: websocket",
                "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA",
                "Content-Encoding: gzip",
                "Accept-Language: " + "en;q=0.".repeat(2_000),
                "Cookie: " + "a=b; ".repeat(2_000),
                "Range: bytes=0-1,2-3,4-5",
                "If-None-Match: \u0000",
                "X-HTTP-Method-Override: DELETE",
                "Max-Forwards: -1");
        for (String header : bad) {
            out.add(raw(
                    "header-bytes",
                    "POST /v1/verifications HTTP/1.1\r\nHost: " + host + "\r\n" + header + "\r\nAuthorization: " + AUTH
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n"
                            + BODY));
            out.add(raw("header-bytes", "GET /v1/stats HTTP/1.1\r\n" + header + "\r\nHost: " + host + "\r\n\r\n"));
        }
        StringBuilder many = new StringBuilder("GET /v1/stats HTTP/1.1\r\nHost: " + host + "\r\n");
        for (int i = 0; i < 1_000; i++) {
            many.append("X-").append(i).append(": ").append(i).append("\r\n");
        }
        out.add(raw("header-bytes", many.append("\r\n").toString()));
        out.add(raw("header-bytes", "GET /v1/stats HTTP/1.1\r\n\r\n"));
        out.add(raw("header-bytes", "GET /v1/stats HTTP/1.0\r\n\r\n"));
    }

    private void lineBreaks() {
        String request = "POST /v1/verifications HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH
                + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        out.add(raw("line-breaks", request.replace("\r\n", "\n")));
        out.add(raw("line-breaks", request.replace("\r\n", "\r")));
        out.add(raw("line-breaks", request.replace("\r\n", "\n\r")));
        out.add(raw("line-breaks", request.replace("\r\n", "\r\r\n")));
        out.add(raw("line-breaks", request.replaceFirst("\r\n", "\n")));
        out.add(raw("line-breaks", request.replace("Authorization: ", "Authorization:\r\n ")));
        out.add(raw(
                "line-breaks",
                request.replace("Content-Type: application/json", "Content-Type: application/json\n\rX: y")));
        out.add(raw("line-breaks", "GET /health/live HTTP/1.1\nHost: " + host + "\n\n"));
        out.add(raw("line-breaks", "GET /health/live HTTP/1.1\rHost: " + host + "\r\r"));
        out.add(raw(
                "line-breaks",
                "GET /v1/stats HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer x\nAuthorization: " + AUTH
                        + "\r\n\r\n"));
        out.add(raw(
                "line-breaks",
                "GET /v1/stats HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH + "\rX-Injected: 1\r\n\r\n"));
        out.add(raw(
                "line-breaks",
                "GET /v1/stats HTTP/1.1\r\nHost: " + host + "\r\nX-Request-Id: a\u0085b\u2028c\r\n\r\n"));
    }

    private void lengths() {
        for (String path : List.of(
                "/v1/verifications",
                "/v1/verifications/batch",
                "/v1/verifications/check",
                "/v1/verifications/" + kit.unknownId() + "/check")) {
            for (String length : List.of(
                    "Content-Length: 5\r\n",
                    "Content-Length: 0\r\n",
                    "Content-Length: -1\r\n",
                    "Content-Length: abc\r\n",
                    "Content-Length: +" + BODY.length() + "\r\n",
                    "Content-Length: 0x10\r\n",
                    "Content-Length: 1e3\r\n",
                    "Content-Length: 99999999999999999999\r\n",
                    "Content-Length: " + BODY.length() + ", " + BODY.length() + "\r\n",
                    "Content-Length: 5, 6\r\n",
                    "Content-Length: " + BODY.length() + "\r\nContent-Length: " + BODY.length() + "\r\n",
                    "Content-Length: 5\r\nContent-Length: " + BODY.length() + "\r\n",
                    "Content-Length: 000" + BODY.length() + "\r\n",
                    "Content-Length:  " + BODY.length() + " \r\n",
                    "Content-Length: " + BODY.length() + "\r\nTransfer-Encoding: chunked\r\n",
                    "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                    "Transfer-Encoding: xchunked\r\n",
                    "Transfer-Encoding: chunked, identity\r\n",
                    "Transfer-Encoding: identity\r\n",
                    "Transfer-Encoding: gzip\r\n",
                    "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                    "Transfer-Encoding\t: chunked\r\n")) {
                out.add(raw("lying-lengths", post(path, length, BODY)));
            }
            String chunked = "Transfer-Encoding: chunked\r\n";
            out.add(raw(
                    "lying-lengths",
                    post(path, chunked, Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n")));
            for (String chunks : List.of(
                    "0\r\nAuthorization: " + AUTH + "\r\n\r\n",
                    "0\r\n\r\nGET /health/live HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                    "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n",
                    "0;ext=1\r\n\r\n")) {
                out.add(raw("lying-lengths", post(path, chunked, chunks)));
            }
            out.add(raw("lying-lengths", post(path, "Content-Length: 5\r\n", BODY + BODY)));
            out.add(raw(
                    "lying-lengths",
                    post(path, "Content-Length: " + BODY.length() + "\r\n", BODY + "GET / HTTP/1.1\r\n\r\n")));
        }
    }

    private void credentials() {
        for (String auth : List.of(
                "Bearer \u0000" + ServiceFixture.KEY,
                AUTH + "\u0000",
                AUTH + "\u00e9",
                "Bearer \u00ff\u00fe",
                AUTH + "\r\nAuthorization: Bearer nope",
                "Bearer nope\r\nAuthorization: " + AUTH,
                "Bearer " + "k".repeat(100_000),
                "\u00c2\u00a0Bearer " + ServiceFixture.KEY,
                "Bearer\u000b" + ServiceFixture.KEY)) {
            out.add(raw(
                    "authorization",
                    "GET /v1/stats HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + auth + "\r\n\r\n"));
            out.add(raw(
                    "authorization",
                    "POST /v1/verifications HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + auth
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n"
                            + BODY));
        }
    }

    private void randomCombinations(int count) {
        List<String> methods = List.of("GET", "POST", "PUT", "get", "FOO", "", "POST POST", "DELETE");
        List<String> targets = List.of(
                "/v1/verifications",
                "/v1/verifications/batch",
                "/v1/verifications/check",
                "/v1/verifications/" + kit.unknownId() + "/check",
                "/v1/verifications/" + kit.unknownId() + "/resend",
                "/v1/stats",
                "/",
                "/health/live",
                "/v1/verifications/../stats",
                "/v1/verifications/%2e%2e",
                "*",
                "http://evil.test/v1/stats",
                "/v1/verifications/ver_\u00e9",
                "/v1//verifications//",
                "/dev/mailbox/messages?x=\u0000");
        List<String> versions = List.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/1.1 x", "", "HTTP/1.x");
        List<String> breaks = List.of("\r\n", "\r\n", "\r\n", "\n", "\r");
        List<String> extras = List.of(
                "Authorization: " + AUTH,
                "Authorization: Bearer nope",
                "Authorization: \u0000",
                "Content-Type: application/json",
                "Content-Type: text/plain",
                "Content-Type: application/json\u0000;",
                "Transfer-Encoding: chunked",
                "X-Request-Id: \u00ff\r",
                "Host: evil.test",
                "Expect: 100-continue",
                "X: a\r\n b",
                "Bad Header: 1",
                "Content-Length: -5",
                "Content-Length: 1, 2");
        for (int i = 0; i < count; i++) {
            String nl = kit.pick(breaks);
            String version = kit.pick(versions);
            StringBuilder request = new StringBuilder(kit.pick(methods))
                    .append(' ')
                    .append(kit.pick(targets))
                    .append(version.isEmpty() ? "" : " " + version)
                    .append(nl);
            if (kit.random.nextInt(5) > 0) {
                request.append("Host: ").append(host).append(nl);
            }
            int n = kit.random.nextInt(5);
            for (int e = 0; e < n; e++) {
                request.append(kit.pick(extras)).append(nl);
            }
            String body = kit.coin() ? BODY : BODY.substring(0, kit.random.nextInt(BODY.length()));
            boolean chunked = request.indexOf("Transfer-Encoding") >= 0;
            // announce at most what is sent: a body shorter than announced is the known bug tested apart
            if (!chunked && kit.random.nextInt(4) > 0) {
                request.append("Content-Length: ")
                        .append(body.length() - kit.random.nextInt(body.length() + 1))
                        .append(nl);
            }
            request.append(nl);
            if (chunked) {
                request.append(Integer.toHexString(body.length()))
                        .append("\r\n")
                        .append(body)
                        .append("\r\n0\r\n\r\n");
            } else {
                request.append(body);
            }
            out.add(raw("random-raw", request.toString()));
        }
    }

    private String post(String path, String lengthHeaders, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH
                + "\r\nContent-Type: application/json\r\n" + lengthHeaders + "\r\n" + body;
    }

    private static Probe.Raw raw(String category, String latin1) {
        return new Probe.Raw(category, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }
}
