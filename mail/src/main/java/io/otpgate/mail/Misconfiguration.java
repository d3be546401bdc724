package io.otpgate.mail;

import io.otpgate.core.delivery.SendOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Failures to open a session that no retry can fix, because the server cannot do what the settings
 * require: each becomes a {@link SendOutcome.Misconfigured} whose reply names the setting to change.
 */
final class Misconfiguration {

    /** RFC 4954 §6: "530 5.7.0 Authentication required". */
    static final int AUTH_REQUIRED = 530;

    static final String TLS = "OTPGATE_SMTP_TLS";
    static final String CA_FILE = "OTPGATE_SMTP_CA_FILE";
    static final String HOST = "OTPGATE_SMTP_HOST";
    static final String CREDENTIALS = "OTPGATE_SMTP_USERNAME and OTPGATE_SMTP_PASSWORD";

    private Misconfiguration() {}

    static Optional<SendOutcome> of(MessagingException failure, SmtpSettings settings, String server) {
        if (failure instanceof AuthenticationFailedException) {
            String reply = SmtpConnection.oneLine(String.valueOf(failure.getMessage()));
            return Optional.of(new SendOutcome.Misconfigured(
                    server + " refused the user name or password (" + reply + "): check " + CREDENTIALS, CREDENTIALS));
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("starttls is required")) {
            return Optional.of(new SendOutcome.Misconfigured(
                    server + " does not offer STARTTLS, which " + TLS + "=starttls requires: use the server's"
                            + " implicit TLS port with " + TLS + "=ssl, or a server that offers STARTTLS",
                    TLS));
        }
        // Trust first: an untrusted chain also comes wrapped in a CertificateException.
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return Optional.of(new SendOutcome.Misconfigured(
                        "the certificate of " + server + " is not trusted (" + root(failure) + "): set " + CA_FILE
                                + " to a PEM file with the certificate authority that issued it",
                        CA_FILE));
            }
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SSLPeerUnverifiedException
                    || t instanceof CertificateException
                    || String.valueOf(t.getMessage()).contains("verify identity of server")) {
                return Optional.of(new SendOutcome.Misconfigured(
                        "the certificate of " + server + " does not name " + settings.host() + " (" + root(failure)
                                + "): set " + HOST + " to a name the certificate carries",
                        HOST));
            }
        }
        return Optional.empty();
    }

    /**
     * A 530 in a message transaction: the server wants AUTH, or (as Gmail says it) TLS first, before
     * it takes any message.
     */
    static SendOutcome authRequired(String reply) {
        if (reply.toUpperCase(Locale.ROOT).contains("STARTTLS")) {
            return new SendOutcome.Misconfigured(
                    reply + ": the server requires TLS: set " + TLS + "=starttls (or ssl on its TLS port)", TLS);
        }
        return new SendOutcome.Misconfigured(
                reply + ": the server requires authentication: set " + CREDENTIALS, CREDENTIALS);
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String root(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = next(t)) {
            root = t;
        }
        return SmtpConnection.oneLine(String.valueOf(root.getMessage()));
    }
}
