package io.otpgate.mail;

import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.Arrays;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session kept open across messages. It opens on the first send and after a failure, and
 * closes after every failure: a session that just failed is in a state not worth trusting, and a
 * fresh one costs little next to a lost message.
 *
 * <p>How failures become outcomes (RFC 5321 §4.2.1): a reply code in a message transaction (MAIL,
 * RCPT, DATA) decides, 4xx transient and 5xx permanent. A server that cannot do what the settings
 * require is {@link SendOutcome.Misconfigured}, naming the setting to change: STARTTLS required but
 * not offered, a certificate not trusted or not naming the host, AUTH refused (535) or required
 * (530). Retrying those would only repeat the answer for every queued email, and retrying a wrong
 * password can lock the account at the provider. Everything else that stops the session before a
 * transaction starts is transient: refused or reset connections, timeouts, a 421 greeting. Retries
 * stay bounded by the retry policy and by the code's expiry.
 */
final class SmtpConnection implements MailTransport.Connection {

    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

    private final Session session;
    private final SmtpSettings settings;
    private final Clock clock;
    private final String server;
    private SMTPTransport transport;
    // Why the last open() failed, for the next send to report (and then to try again).
    private SendOutcome openFailure;

    SmtpConnection(Session session, SmtpSettings settings, Clock clock, String server) {
        this.session = session;
        this.settings = settings;
        this.clock = clock;
        this.server = server;
    }

    @Override
    public SendOutcome send(OutgoingEmail email) {
        InternetAddress to;
        MimeMessage message;
        try {
            to = CodeMessage.recipient(email);
            message = CodeMessage.build(session, settings.from(), email, to, clock.instant());
        } catch (MessagingException e) {
            return new SendOutcome.Permanent("the message cannot be sent: " + e.getMessage());
        }
        if (transport == null && openFailure == null) {
            open();
        }
        if (transport == null) {
            SendOutcome failure = openFailure;
            openFailure = null;
            return failure;
        }
        try {
            // Exactly the one address: never the message's headers, which could name others.
            transport.sendMessage(message, new Address[] {to});
            return new SendOutcome.Accepted(oneLine(transport.getLastServerResponse()));
        } catch (MessagingException e) {
            close();
            return classify(e);
        } catch (IllegalStateException e) {
            // Angus closes a session it finds broken and then refuses to use it ("Not connected").
            close();
            return new SendOutcome.Transient("the SMTP session with " + server + " was closed");
        }
    }

    @Override
    public void close() {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            log.debug("closing the SMTP session with {} failed: {}", server, e.toString());
        } finally {
            transport = null;
        }
    }

    @Override
    public void open() {
        if (transport != null) {
            return;
        }
        try {
            transport = connect();
            openFailure = null;
        } catch (MessagingException e) {
            openFailure = Misconfiguration.of(e, settings, server)
                    .orElseGet(() -> new SendOutcome.Transient(
                            "could not open an SMTP session with " + server + ": " + explain(e)));
        }
    }

    private SMTPTransport connect() throws MessagingException {
        SMTPTransport opened = (SMTPTransport) session.getTransport("smtp");
        SmtpSettings.Credentials credentials = settings.credentials().orElse(null);
        if (credentials == null) {
            opened.connect(settings.host(), settings.port(), null, null);
            return opened;
        }
        char[] password = credentials.password();
        try {
            // Jakarta Mail takes the password only as a String, which lives until garbage collection.
            opened.connect(settings.host(), settings.port(), credentials.username(), new String(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        return opened;
    }

    private SendOutcome classify(MessagingException failure) {
        // Angus chains the per-command exception (with its reply code) behind a SendFailedException.
        Exception e = failure;
        while (e != null) {
            int code = replyCode(e);
            if (code == Misconfiguration.AUTH_REQUIRED) {
                return Misconfiguration.authRequired(oneLine(e.getMessage()));
            }
            if (code >= 500 && code <= 599) {
                return new SendOutcome.Permanent(oneLine(e.getMessage()));
            }
            if (code >= 400 && code <= 499) {
                return new SendOutcome.Transient(oneLine(e.getMessage()));
            }
            e = e instanceof MessagingException m ? m.getNextException() : null;
        }
        return new SendOutcome.Transient("sending to " + server + " failed: " + explain(failure));
    }

    private static int replyCode(Exception e) {
        if (e instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        if (e instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException f) {
            return f.getReturnCode();
        }
        return -1;
    }

    /**
     * The message and its root cause, such as "Exception reading response
     * (java.net.SocketTimeoutException: Read timed out)".
     */
    static String explain(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = oneLine(String.valueOf(e.getMessage()));
        return root == e ? text : text + " (" + root + ")";
    }

    /** Server replies span lines ("250-…\n250 …"); one line reads better in a log and a column. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
