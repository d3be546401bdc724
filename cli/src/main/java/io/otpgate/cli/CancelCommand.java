package io.otpgate.cli;

import io.otpgate.core.id.VerificationId;
import io.otpgate.core.verification.CancelResult;
import io.otpgate.core.verification.Status;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Cancels a pending verification: its code stops working and unsent emails are dropped. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a pending verification.")
final class CancelCommand implements Callable<Integer> {

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
            // The operator's command: any tenant's verification, canceled as its own tenant.
            CancelResult result = app.verifier()
                    .find(id)
                    .map(v -> app.verifier().cancel(v.tenant(), v.id()))
                    .orElseGet(CancelResult.NotFound::new);
            return switch (result.kind()) {
                case CANCELED -> {
                    t.say("Canceled " + id);
                    yield 0;
                }
                case NOT_PENDING -> {
                    Status status =
                            ((CancelResult.NotPending) result).verification().status();
                    t.say("Not canceled: the verification is already " + status.wireName() + ".");
                    yield 1;
                }
                case NOT_FOUND -> {
                    t.say("No such verification: " + id);
                    yield 1;
                }
            };
        }
    }
}
