package io.otpgate.cli;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.mail.DevMailbox;
import java.util.Optional;

/**
 * Shows emails the dev mailbox captured, so a flow can be completed without a mail server. Only
 * ever used in dev mailbox mode: with an SMTP host configured the code is never printed.
 */
final class DevMailboxPrinter {

    private DevMailboxPrinter() {}

    /** Prints every email this process captures from now until the returned handle is closed. */
    static AutoCloseable attach(OtpGate app, Terminal t) {
        return app.devMailbox()
                .<AutoCloseable>map(mailbox -> mailbox.subscribe(email -> print(t, email)))
                .orElse(() -> {});
    }

    /**
     * Follows the mailbox from now on for one command's own emails. Whichever process on the
     * database delivered them (a running {@code serve} often claims the CLI's email first), they
     * are in the mailbox once their delivery is recorded.
     */
    static Follower follow(OtpGate app, Terminal t) {
        return new Follower(app.devMailbox(), t);
    }

    /** Prints, when asked, the emails to one address captured since the last time it printed. */
    static final class Follower {
        private final Optional<DevMailbox> mailbox;
        private final Terminal t;
        private long seen;

        private Follower(Optional<DevMailbox> mailbox, Terminal t) {
            this.mailbox = mailbox;
            this.t = t;
            this.seen = mailbox.map(DevMailbox::newestNumber).orElse(0L);
        }

        /** Call once the email's delivery is recorded: it is stored by then, so none is missed. */
        void printNew(EmailAddress to) {
            mailbox.ifPresent(m -> {
                for (CapturedEmail email : m.after(seen)) {
                    seen = email.number();
                    if (email.to().equals(to)) {
                        print(t, email);
                    }
                }
            });
        }
    }

    private static void print(Terminal t, CapturedEmail email) {
        t.say("----- dev mailbox: this email was captured, not sent -----");
        t.say("To: " + email.to());
        t.say("Subject: " + email.subject());
        t.say("");
        t.say(email.text().strip());
        t.say("-----------------------------------------------------------");
    }
}
