package io.otpgate.mail;

import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.SendOutcome;
import jakarta.mail.Session;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends email over SMTP with Jakarta Mail (Eclipse Angus).
 *
 * <p>Each {@link #connect() connection} keeps one SMTP session open across messages and sends every
 * message to exactly its one recipient. {@link MailTransport.Connection#send} never throws for
 * server or network problems: 2xx is {@link SendOutcome.Accepted}, a 5xx reply to the message is
 * {@link SendOutcome.Permanent}, a server that cannot do what the settings require (STARTTLS, a
 * trusted certificate, AUTH) is {@link SendOutcome.Misconfigured}, and 4xx replies, timeouts and
 * broken connections are {@link SendOutcome.Transient}; each carries the server's reply or the
 * error.
 *
 * <p>TLS is never optional when configured: {@link TlsMode#STARTTLS} refuses a server that does not
 * offer STARTTLS rather than fall back to plaintext, and the server's certificate must match the
 * host name.
 */
public final class SmtpTransport implements MailTransport {

    private final SmtpSettings settings;
    private final Clock clock;
    private final Session session;

    /** {@code clock} stamps the Date header. */
    public SmtpTransport(SmtpSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = Session.getInstance(properties(settings));
    }

    @Override
    public Connection connect() {
        return new SmtpConnection(session, settings, clock, describe());
    }

    /** Such as {@code smtp.example.com:587 (starttls, auth)}. */
    @Override
    public String describe() {
        return settings.host()
                + ":"
                + settings.port()
                + " ("
                + settings.tls()
                + (settings.credentials().isPresent() ? ", auth" : "")
                + ")";
    }

    static Properties properties(SmtpSettings settings) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", settings.host());
        p.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        // Angus waits forever by default on each of these.
        p.setProperty("mail.smtp.connectiontimeout", millis(settings.connectTimeout()));
        p.setProperty("mail.smtp.timeout", millis(settings.readTimeout()));
        p.setProperty("mail.smtp.writetimeout", millis(settings.writeTimeout()));
        // The default since Angus 1.1.0, pinned so that no upgrade or system property can turn it off.
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        switch (settings.tls()) {
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                // Without "required", Angus silently sends in plaintext to a server (or an attacker)
                // that does not offer STARTTLS.
                p.setProperty("mail.smtp.starttls.required", "true");
            }
            case SSL -> p.setProperty("mail.smtp.ssl.enable", "true");
            case NONE -> {}
        }
        if (settings.credentials().isPresent()) {
            p.setProperty("mail.smtp.auth", "true");
        }
        if (!settings.trustedCas().isEmpty()) {
            // Angus uses this factory for implicit TLS and for STARTTLS alike.
            p.put("mail.smtp.ssl.socketFactory", trusting(settings.trustedCas()));
        }
        return p;
    }

    /** TLS that trusts these authorities only: a private relay's CA, not every public one besides. */
    private static SSLSocketFactory trusting(List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the configured CA file", e);
        }
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
