package io.otpgate.server;

import io.otpgate.core.Validated;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.WebhookTransport;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Posts webhooks with the JDK's HttpClient: redirects never followed, 10 s for the whole answer,
 * and each target's host resolved and checked by {@link WebhookTargets} just before the post.
 *
 * <p>Plain http connects to the address that was checked (the URL's host replaced by it, the name
 * kept in the Host header), so a resolver that answers differently the second time (DNS
 * rebinding) cannot steer the post into the private network. HttpClient has no hook to connect
 * https to a given address while verifying the certificate for the name, so https connects by name
 * after the check; the certificate must then match that name, which an attacker's rebinding
 * resolver cannot supply for an internal service.
 */
public final class HttpWebhookTransport implements WebhookTransport {

    /** A 2xx within this is a success (Standard Webhooks); anything slower is a failure to retry. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * HttpClient refuses a Host header of the caller's unless this lists it; it is read once, when the
     * client's classes load, so the CLI's main sets it too, before anything else can load them.
     */
    public static final String ALLOW_HOST_HEADER = "jdk.httpclient.allowRestrictedHeaders";

    static {
        allowHostHeader();
    }

    private final WebhookTargets targets;
    private final Duration timeout;
    private final HttpClient client;

    public HttpWebhookTransport(WebhookTargets targets) {
        this(targets, TIMEOUT);
    }

    /** With another time limit than {@link #TIMEOUT}: for tests of slow endpoints. */
    public HttpWebhookTransport(WebhookTargets targets, Duration timeout) {
        this.targets = targets;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Lets a Host header through HttpClient; call before anything loads HttpClient. */
    public static void allowHostHeader() {
        String allowed = System.getProperty(ALLOW_HOST_HEADER, "");
        if (!allowed.toLowerCase(java.util.Locale.ROOT).contains("host")) {
            System.setProperty(ALLOW_HOST_HEADER, allowed.isBlank() ? "host" : allowed + ",host");
        }
    }

    @Override
    public Outcome post(URI url, Map<String, String> headers, String body) {
        Validated<InetAddress> address = targets.resolve(url.getHost());
        if (address instanceof Validated.Invalid<InetAddress> refused) {
            return new Outcome.Failed(0, "refused: " + refused.reason());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "OTPGate-Webhooks")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            if (!url.getScheme().equalsIgnoreCase("http")) {
                request.uri(url);
            } else if (literal(url.getHost())) {
                // Nothing to resolve again: the URL already names the address that was checked.
                request.uri(url);
            } else {
                request.uri(pinned(url, address.orElseThrow()));
                request.header("Host", url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort());
            }
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome.Delivered(status);
            }
            if (status == 410) {
                return new Outcome.Gone();
            }
            return new Outcome.Failed(
                    status, status >= 300 && status < 400 ? status + ": redirects are not followed" : "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Outcome.Failed(0, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome.Failed(0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(0, "interrupted");
        }
    }

    /** Whether a URL's host is an IP address rather than a name. */
    static boolean literal(String host) {
        return host.startsWith("[") || host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
    }

    /** The URL with its host replaced by the checked address. */
    static URI pinned(URI url, InetAddress address) {
        String host = address instanceof Inet6Address
                ? "[" + address.getHostAddress().replaceFirst("%.*$", "") + "]"
                : address.getHostAddress();
        try {
            return new URI(
                    url.getScheme(),
                    null,
                    host,
                    url.getPort(),
                    url.getRawPath().isEmpty() ? "/" : url.getPath(),
                    url.getQuery(),
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot pin " + url + " to " + host, e);
        }
    }
}
