package io.otpgate.core.webhook;

import io.otpgate.core.Validated;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go: http or https URLs whose host resolves only to public addresses. Loopback,
 * link-local (the cloud metadata service at 169.254.169.254 among them), private (RFC 1918, IPv6
 * unique local), carrier-grade NAT (100.64.0.0/10), "this network" (0.0.0.0/8) and multicast
 * addresses are refused unless {@code allowPrivate}, so that registering a URL cannot make the server
 * reach into its own network (server-side request forgery). The check is made at registration and
 * again at each delivery, on the address the delivery then connects to, so a name that resolves
 * elsewhere later (DNS rebinding) is caught.
 */
public final class WebhookTargets {

    private final boolean allowPrivate;

    public WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL if its form is acceptable: absolute http(s), a host, no user info, at most 2048 characters. */
    public static Validated<URI> parse(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            return Validated.invalid("not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Validated.invalid("the URL must start with http:// or https://");
        }
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            return Validated.invalid("the URL must name a host, without user info or fragment");
        }
        if (url.getPort() == 0 || url.getPort() > 65_535) {
            return Validated.invalid("the URL's port must be between 1 and 65535");
        }
        if (text.length() > 2048) {
            return Validated.invalid("the URL is longer than 2048 characters");
        }
        return Validated.valid(url);
    }

    /**
     * The address to connect to for {@code host}: its first, when every address it resolves to is
     * allowed (one private address among public ones would let a rebinding resolver choose).
     */
    public Validated<InetAddress> resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Validated.invalid("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                return Validated.invalid("the host " + host + " resolves to " + address.getHostAddress()
                        + ", a loopback, link-local or private address (OTPGATE_WEBHOOK_ALLOW_PRIVATE=true allows it)");
            }
        }
        return Validated.valid(addresses[0]);
    }

    /**
     * Why an endpoint on {@code host} may not be registered: it is, or resolves to, an address a
     * delivery may not reach. A name that does not resolve yet is accepted (its DNS may come later);
     * every delivery checks again.
     */
    public Optional<String> refusal(String host) {
        try {
            InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return resolve(host) instanceof Validated.Invalid<InetAddress> refused
                ? Optional.of(refused.reason())
                : Optional.empty();
    }

    /** Whether a delivery may connect to this address. */
    public boolean allowed(InetAddress address) {
        return allowPrivate || !internal(address);
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network", 0.0.0.0/8
                    || (first == 100 && second >= 64 && second < 128) // CGNAT, RFC 6598
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking, RFC 2544
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            // Unique local fc00::/7; IPv4-compatible or mapped forms of an internal IPv4 address.
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
