package io.otpgate.server;

import io.otpgate.core.Validated;
import io.otpgate.core.tenant.Tenant;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allow-list of places the hosted pages send a person back to once the address is verified
 * ({@code OTPGATE_REDIRECT_URIS}).
 *
 * <p>An open redirect on a verification page would let anyone dress a phishing link in this
 * service's name, so a {@code redirect_uri} is followed only when it equals an allowed entry, or
 * starts with one that ends in {@code /}, comparing scheme, host and port exactly. Anything
 * ambiguous is refused rather than normalised: user info, fragments, dot segments, encoded
 * slashes or dots, backslashes, non-ASCII, and plain {@code http} to anything but this machine.
 * The query of a {@code redirect_uri} is kept and does not take part in the comparison, but it
 * may not carry the parameters the final redirect adds ({@code verification_id}, {@code state}).
 *
 * <p>An entry may name a tenant, {@code TENANT=URL}: the verifications the pages start for a
 * {@code redirect_uri} it admits can then be read by that tenant's API keys, so that the integrator
 * behind the URL can confirm the {@code verification_id} it is sent back with.
 */
public final class RedirectUris {

    static final int MAX_LENGTH = 2048;
    static final int MAX_STATE = 512;
    /** The parameters {@link Redirect#destination} adds: no {@code redirect_uri} may carry its own. */
    static final Set<String> RESERVED = Set.of("verification_id", "state");

    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");
    private static final Pattern AMBIGUOUS_PATH = Pattern.compile("(^|/)\\.\\.?(/|$)|%2[eEfF]|%5[cC]|\\\\|//");

    private final List<Target> allowed;

    private RedirectUris(List<Target> allowed) {
        this.allowed = allowed;
    }

    /**
     * The allow-list from configured entries.
     *
     * @throws IllegalArgumentException naming the first entry that is not an acceptable base
     */
    public static RedirectUris of(List<String> entries) {
        List<Target> targets = new ArrayList<>();
        for (String entry : entries) {
            Optional<String> problem = problem(entry);
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get());
            }
            Named named = Named.of(entry);
            targets.add(parse(named.url()).orElseThrow().readBy(named.tenant()));
        }
        return new RedirectUris(List.copyOf(targets));
    }

    /** Why {@code entry} cannot be an allow-list entry, if it cannot: for configuration errors. */
    public static Optional<String> problem(String configured) {
        String entry = Named.of(configured).url();
        Optional<Target> target = parse(entry);
        if (target.isEmpty()) {
            return Optional.of("'" + entry + "' is not an absolute https URL without user info, fragment or dot"
                    + " segments (http is accepted for localhost only)");
        }
        if (target.get().carriesReserved()) {
            return Optional.of(
                    "'" + entry + "' must not carry " + String.join(" or ", new java.util.TreeSet<>(RESERVED))
                            + ": the hosted pages add them to the redirect");
        }
        if (target.get().query != null) {
            return Optional.of("'" + entry + "' must not have a query; pass per-request values in state");
        }
        return Optional.empty();
    }

    boolean isEmpty() {
        return allowed.isEmpty();
    }

    /** The validated target for a {@code redirect_uri} and {@code state}, or empty when refused. */
    public Optional<Redirect> accept(String redirectUri, String state) {
        if (redirectUri == null || state != null && !acceptableState(state)) {
            return Optional.empty();
        }
        Optional<Target> candidate = parse(redirectUri);
        if (candidate.isEmpty() || candidate.get().carriesReserved()) {
            return Optional.empty();
        }
        // The first entry that admits it decides its tenant, as listed by the operator.
        Optional<Target> entry = allowed.stream()
                .filter(allowedEntry -> allowedEntry.admits(candidate.get()))
                .findFirst();
        return entry.map(e -> new Redirect(
                redirectUri, Optional.ofNullable(state), candidate.get().origin(), e.reader()));
    }

    /** An entry split into its optional tenant and its URL. */
    private record Named(Optional<Tenant> tenant, String url) {
        /** {@code TENANT=URL}: a URL entry has no query, so an {@code =} before {@code ://} names a tenant. */
        static Named of(String entry) {
            int equals = entry == null ? -1 : entry.indexOf('=');
            if (equals > 0 && entry.indexOf("://") > equals) {
                Validated<Tenant> tenant = Tenant.parse(entry.substring(0, equals));
                if (tenant.isValid()) {
                    return new Named(Optional.of(tenant.orElseThrow()), entry.substring(equals + 1));
                }
            }
            return new Named(Optional.empty(), entry);
        }
    }

    static boolean acceptableState(String state) {
        return state.length() <= MAX_STATE && state.codePoints().noneMatch(Character::isISOControl);
    }

    private static Optional<Target> parse(String text) {
        if (text == null
                || text.isEmpty()
                || text.length() > MAX_LENGTH
                || !PRINTABLE_ASCII.matcher(text).matches()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute()
                || uri.isOpaque()
                || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null
                || uri.getHost() == null
                || uri.getRawAuthority() == null
                || uri.getRawAuthority().contains("@")) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!(scheme.equals("https") || scheme.equals("http") && loopback)) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (AMBIGUOUS_PATH.matcher(path).find()) {
            return Optional.empty();
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        return Optional.of(new Target(scheme, host, port, path, uri.getRawQuery(), Optional.empty()));
    }

    private record Target(String scheme, String host, int port, String path, String query, Optional<Tenant> reader) {
        Target readBy(Optional<Tenant> tenant) {
            return new Target(scheme, host, port, path, query, tenant);
        }

        boolean admits(Target candidate) {
            boolean sameOrigin =
                    scheme.equals(candidate.scheme) && host.equals(candidate.host) && port == candidate.port;
            return sameOrigin && (path.equals(candidate.path) || path.endsWith("/") && candidate.path.startsWith(path));
        }

        /**
         * Whether the query already names a parameter the final redirect adds. The app would get it
         * twice, and which one it reads depends on its framework: a {@code redirect_uri} ending in
         * {@code ?verification_id=<another one>} could make it trust a verification this person
         * never completed. Names are compared decoded and in any case, as some frameworks read them.
         */
        boolean carriesReserved() {
            if (query == null) {
                return false;
            }
            for (String pair : query.split("[&;]")) {
                String name;
                try {
                    name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                } catch (IllegalArgumentException undecodable) {
                    return true;
                }
                if (RESERVED.contains(name.strip().toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        }

        String origin() {
            boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
            return scheme + "://" + host + (defaultPort ? "" : ":" + port);
        }
    }

    /**
     * An accepted {@code redirect_uri} with its {@code state}; {@code origin} is for the CSP;
     * {@code tenant} is the one its allow-list entry names, if any.
     */
    public record Redirect(String uri, Optional<String> state, String origin, Optional<Tenant> tenant) {
        /** Where to send the person once {@code verificationId} is approved. */
        public String destination(String verificationId) {
            StringBuilder url = new StringBuilder(uri)
                    .append(uri.contains("?") ? '&' : '?')
                    .append("verification_id=")
                    .append(verificationId);
            state.ifPresent(s -> url.append("&state=").append(URLEncoder.encode(s, StandardCharsets.UTF_8)));
            return url.toString();
        }

        /** The query that carries this redirect from page to page: {@code redirect_uri=…&state=…}. */
        public String query() {
            return "redirect_uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8)
                    + state.map(s -> "&state=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                            .orElse("");
        }
    }
}
