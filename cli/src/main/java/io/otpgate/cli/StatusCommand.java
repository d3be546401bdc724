package io.otpgate.cli;

import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.verification.Verification;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Shows where one verification stands. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a verification.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(
            paramLabel = "ID",
            converter = VerificationIdConverter.class,
            description = "The verification id (ver_...).")
    VerificationId id;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        try (OtpGate app = main.openWithoutDelivery()) {
            Optional<Verification> found = app.verifier().find(id);
            if (found.isEmpty()) {
                t.say("No such verification: " + id);
                return 1;
            }
            print(t, found.get());
            List<VerificationEvent> events = app.verifier().events(id);
            t.say("events:");
            for (VerificationEvent event : events) {
                t.say("  " + event.at() + "  " + event.type().wireName()
                        + (event.data().isEmpty() ? "" : "  " + event.data()));
            }
            return 0;
        }
    }

    static void print(Terminal t, Verification v) {
        t.say("id:                  " + v.id());
        t.say("email:               " + v.email());
        v.name().ifPresent(n -> t.say("name:                " + n));
        t.say("purpose:             " + v.purpose());
        t.say("locale:              " + v.locale().toLanguageTag());
        t.say("status:              " + v.status().wireName());
        t.say("created at:          " + v.createdAt());
        t.say("expires at:          " + v.expiresAt());
        t.say("attempts remaining:  " + v.attemptsRemaining() + " of " + v.maxAttempts());
        t.say("sends:               " + v.sends() + " of " + v.maxSends());
        t.say("resend available at: " + v.resendAvailableAt());
        t.say("delivery:            " + v.delivery().status().wireName() + " after "
                + v.delivery().attempts()
                + " attempt(s)"
                + v.delivery().sentAt().map(at -> ", sent at " + at).orElse("")
                + v.delivery().lastError().map(e -> ", last reply: " + e).orElse(""));
    }
}
