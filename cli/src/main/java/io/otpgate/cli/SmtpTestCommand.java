package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.mail.SmtpTestEmail;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Sends one test email (no code in it) and reports what the SMTP server answered. */
@Command(
        name = "smtp-test",
        mixinStandardHelpOptions = true,
        description = "Send one test email through the configured SMTP server and show its reply.")
final class SmtpTestCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--to", required = true, paramLabel = "EMAIL", description = "Where to send the test email.")
    String to;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        Validated<EmailAddress> address = EmailAddress.parse(to);
        if (address instanceof Validated.Invalid<EmailAddress> invalid) {
            t.warn("otpgate: not a valid email address: " + invalid.reason());
            return Main.USAGE;
        }
        try (OtpGate app = main.openWithoutDelivery()) {
            if (app.devMailbox().isPresent()) {
                t.say("No SMTP server is configured (dev mailbox mode): set OTPGATE_SMTP_HOST to test one.");
                return 1;
            }
            t.say("Sending a test email to " + address.orElseThrow() + " through "
                    + app.transport().describe() + " ...");
            OutgoingEmail email =
                    SmtpTestEmail.to(address.orElseThrow(), app.settings().brand());
            SendOutcome outcome;
            try (MailTransport.Connection connection = app.transport().connect()) {
                outcome = connection.send(email);
            }
            switch (outcome.kind()) {
                case ACCEPTED -> {
                    t.say("Accepted: " + outcome.reply());
                    return 0;
                }
                case MISCONFIGURED -> {
                    // Not worth a retry: the settings must change first.
                    t.say("Failed (configuration): " + outcome.reply());
                    t.say("Change " + ((SendOutcome.Misconfigured) outcome).setting()
                            + " and run otpgate smtp-test again.");
                }
                case PERMANENT -> t.say("Refused: " + outcome.reply());
                case TRANSIENT -> t.say("Failed (temporary): " + outcome.reply());
            }
            return 1;
        }
    }
}
