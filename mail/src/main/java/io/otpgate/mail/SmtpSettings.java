package io.otpgate.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach the SMTP server, validated once at start-up. Build it with {@link #builder}, which
 * holds the defaults: port 587 (465 for {@link TlsMode#SSL}), STARTTLS, From {@code OTPGate
 * <no-reply@localhost>}, and connect/read/write timeouts of 10 s, 30 s and 30 s.
 *
 * <p>Every timeout is finite: Jakarta Mail's default is to wait forever, which would let one silent
 * server hold a delivery worker for good.
 *
 * @param credentials AUTH user name and password, when the server needs them
 * @param trustedCas the certificate authorities to trust for the server's certificate instead of the
 *     JVM's ({@code OTPGATE_SMTP_CA_FILE}), for a relay with a private CA; empty for the JVM's
 */
public record SmtpSettings(
        String host,
        int port,
        TlsMode tls,
        Optional<Credentials> credentials,
        MailFrom from,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        List<X509Certificate> trustedCas) {

    /**
     * Names that always mean this machine: {@code localhost} and its subdomains (RFC 6761 §6.3), the
     * IPv4 block 127/8, and {@code ::1}. Matched as text, so checking never waits for DNS.
     */
    private static final Pattern LOOPBACK =
            Pattern.compile("localhost|.+\\.localhost|127(\\.\\d{1,3}){3}|\\[?::1]?|\\[?(0{1,4}:){7}0{0,3}1]?"
                    + "|\\[?::ffff:127(\\.\\d{1,3}){3}]?");

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(from, "from");
        if (host.isEmpty() || !host.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("the SMTP host must be a host name or IP address");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the SMTP port must be between 1 and 65535");
        }
        requireTimeout(connectTimeout, "connect");
        requireTimeout(readTimeout, "read");
        requireTimeout(writeTimeout, "write");
        trustedCas = List.copyOf(trustedCas);
    }

    /** Settings for {@code host} with every default; change what you need, then {@code build()}. */
    public static Builder builder(String host) {
        return new Builder(host);
    }

    /**
     * True when mail would cross a network unencrypted: TLS is {@code none} and the host is not this
     * machine. The caller logs a WARN at every start in that case.
     */
    public boolean plaintextToRemoteHost() {
        return tls == TlsMode.NONE
                && !LOOPBACK.matcher(host.toLowerCase(Locale.ROOT)).matches();
    }

    private static void requireTimeout(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name + "Timeout");
        // Jakarta Mail takes milliseconds as an int; zero would mean "wait forever".
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the SMTP " + name + " timeout must be at least 1 ms");
        }
    }

    /**
     * An AUTH user name and password. The password is kept as characters, copied in and out, and
     * never shown by {@link #toString()}.
     */
    public record Credentials(String username, char[] password) {

        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank() || username.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the SMTP user name must be non-blank text");
            }
            if (password.length == 0) {
                throw new IllegalArgumentException("the SMTP password is empty");
            }
            password = password.clone();
        }

        /** A copy; wipe it after use. */
        @Override
        public char[] password() {
            return password.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Credentials c && username.equals(c.username) && Arrays.equals(password, c.password);
        }

        @Override
        public int hashCode() {
            return username.hashCode();
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=(hidden)]";
        }
    }

    /** Collects settings; defaults as described on {@link SmtpSettings}. */
    public static final class Builder {
        private final String host;
        private Integer port;
        private TlsMode tls = TlsMode.STARTTLS;
        private Credentials credentials;
        private MailFrom from = MailFrom.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private List<X509Certificate> trustedCas = List.of();

        private Builder(String host) {
            this.host = host;
        }

        /** Without it: 465 for {@link TlsMode#SSL}, 587 otherwise (RFC 8314 §7.3, RFC 6409). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tls(TlsMode tls) {
            this.tls = tls;
            return this;
        }

        /** Turns on AUTH. The password is copied; the caller may wipe its array afterwards. */
        public Builder credentials(String username, char[] password) {
            this.credentials = new Credentials(username, password);
            return this;
        }

        public Builder from(MailFrom from) {
            this.from = from;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder writeTimeout(Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
            return this;
        }

        /**
         * Trusts only the certificate authorities in this PEM file (one or more {@code BEGIN
         * CERTIFICATE} blocks) for the server's certificate. Read now, so that a missing or broken file
         * stops the start rather than every delivery.
         */
        public Builder caFile(Path file) {
            List<X509Certificate> cas = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                factory.generateCertificates(in).forEach(c -> cas.add((X509Certificate) c));
            } catch (IOException e) {
                throw new IllegalArgumentException("the SMTP CA file " + file + " cannot be read: " + e.getMessage());
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        "the SMTP CA file " + file + " is not a PEM bundle of certificates: " + e.getMessage());
            }
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("the SMTP CA file " + file + " holds no certificate");
            }
            this.trustedCas = cas;
            return this;
        }

        /** Validates everything; throws {@link IllegalArgumentException} naming the bad setting. */
        public SmtpSettings build() {
            Objects.requireNonNull(tls, "tls");
            int effectivePort = port != null ? port : tls == TlsMode.SSL ? 465 : 587;
            return new SmtpSettings(
                    host,
                    effectivePort,
                    tls,
                    Optional.ofNullable(credentials),
                    from,
                    connectTimeout,
                    readTimeout,
                    writeTimeout,
                    trustedCas);
        }
    }
}
