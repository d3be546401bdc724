package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.tenant.Tenant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Lifts the lock an address gets after too many consecutive wrong codes. */
@Command(
        name = "unlock",
        mixinStandardHelpOptions = true,
        description = "Clear an address's wrong-code count and lock.")
final class UnlockCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "EMAIL", description = "The address (any letter case: it unlocks the mailbox).")
    String email;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            defaultValue = "default",
            converter = TenantConverter.class,
            description = "The tenant whose lock to lift (default: ${DEFAULT-VALUE}).")
    Tenant tenant;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        Validated<EmailAddress> address = EmailAddress.parse(email);
        if (address instanceof Validated.Invalid<EmailAddress> invalid) {
            t.warn("otpgate: not a valid email address: " + invalid.reason());
            return Main.USAGE;
        }
        try (OtpGate app = main.openWithoutDelivery()) {
            boolean cleared = app.verifier().unlock(tenant, address.orElseThrow());
            t.say(cleared ? "Unlocked " + address.orElseThrow() : address.orElseThrow() + " was not locked.");
            return 0;
        }
    }
}
