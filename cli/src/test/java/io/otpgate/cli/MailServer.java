package io.otpgate.cli;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real SMTP server (GreenMail) on a free port, and the environment that points OTPGate at it. */
final class MailServer {

    private MailServer() {}

    static GreenMailExtension greenMail() {
        return new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withPerMethodLifecycle(true);
    }

    static Map<String, String> env(GreenMailExtension server, Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("OTPGATE_DATA_DIR", dataDir.toString());
        env.put("OTPGATE_SMTP_HOST", "127.0.0.1");
        env.put("OTPGATE_SMTP_PORT", Integer.toString(server.getSmtp().getPort()));
        env.put("OTPGATE_SMTP_TLS", "none");
        env.put("OTPGATE_RESEND_COOLDOWN", "0s");
        return env;
    }

    /** The code of the newest email: the subject starts with it. */
    static String newestCode(GreenMailExtension server, int expectedCount) {
        if (!server.waitForIncomingEmail(30_000, expectedCount)) {
            throw new AssertionError(
                    "expected " + expectedCount + " email(s), got " + server.getReceivedMessages().length);
        }
        MimeMessage[] messages = server.getReceivedMessages();
        try {
            return messages[messages.length - 1].getSubject().split(" ")[0];
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
