package io.otpgate.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP addresses without DNS, and finds the client's address behind trusted proxies.
 *
 * <p>{@code X-Forwarded-For} is believed only when the socket peer is a configured proxy, and then
 * read from the right: the last hop a trusted proxy did not add is the client. Anything else lets
 * a client choose the address its limits are counted under.
 */
public final class ClientIp {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<String> trustedProxies;

    ClientIp(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream()
                .map(ClientIp::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * The client of a request. Every {@code X-Forwarded-For} line counts, joined in order: a proxy
     * may add its own line below one the client sent, and reading only the first line would then
     * believe the client's.
     */
    public String resolve(Context ctx) {
        List<String> lines = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        return resolve(ctx.req().getRemoteAddr(), lines.isEmpty() ? null : String.join(",", lines));
    }

    public String resolve(String peer, String forwardedFor) {
        String client = parse(peer).orElse(peer);
        if (forwardedFor == null || !trustedProxies.contains(client)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<String> hop = parse(hops[i].strip());
            if (hop.isEmpty()) {
                return client;
            }
            if (!trustedProxies.contains(hop.get())) {
                return hop.get();
            }
            client = hop.get();
        }
        return client;
    }

    /** A literal IPv4 or IPv6 address in canonical form; never a host name (no DNS lookup). */
    public static Optional<String> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!(text.contains(":") && IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getHostAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
