package io.otpgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without JavaScript: keeps cookies, posts forms, and does not follow redirects, so a
 * test sees each 303 and where it points.
 */
final class PageClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private final int port;

    PageClient(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    record Page(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String location() {
            return header("Location");
        }

        String csrf() {
            Matcher m = CSRF.matcher(body());
            if (!m.find()) {
                throw new AssertionError("no csrf field in: " + body());
            }
            return m.group(1);
        }

        /** The text of the element with this id (tags stripped), or empty. */
        Optional<String> text(String id) {
            Matcher m = Pattern.compile(
                            "<(\\w+)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL)
                    .matcher(body());
            return m.find()
                    ? Optional.of(unescape(m.group(2).replaceAll("<[^>]+>", "").strip()))
                    : Optional.empty();
        }

        /** The opening tag of the element with this id. */
        String tag(String id) {
            Matcher m = Pattern.compile("<\\w+[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>")
                    .matcher(body());
            if (!m.find()) {
                throw new AssertionError("no element #" + id + " in: " + body());
            }
            return m.group();
        }
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    Page get(String path, String... headers) {
        HttpRequest.Builder request = request(path).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Posts a form; pairs of name and value, then optionally extra headers after a {@code "--"}. */
    Page post(String path, String... fieldsThenHeaders) {
        Map<String, String> fields = new LinkedHashMap<>();
        HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded");
        int i = 0;
        for (; i + 1 < fieldsThenHeaders.length && !fieldsThenHeaders[i].equals("--"); i += 2) {
            fields.put(fieldsThenHeaders[i], fieldsThenHeaders[i + 1]);
        }
        for (i++; i + 1 < fieldsThenHeaders.length; i += 2) {
            request.header(fieldsThenHeaders[i], fieldsThenHeaders[i + 1]);
        }
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
