package io.otpgate.cli;

import io.otpgate.mail.CapturedEmail;

/**
 * Shows emails the dev mailbox captured, so a flow can be completed without a mail server. Only
 * ever used in dev mailbox mode: with an SMTP host configured the code is never printed.
 */
final class DevMailboxPrinter {

    private DevMailboxPrinter() {}

    /** Prints every email captured from now until the returned handle is closed. */
    static AutoCloseable attach(OtpGate app, Terminal t) {
        return app.devMailbox()
                .<AutoCloseable>map(mailbox -> mailbox.subscribe(email -> print(t, email)))
                .orElse(() -> {});
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
