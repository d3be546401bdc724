package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The classic terminal flow: name, email, code, a few tries. The same prompts work typed at a
 * terminal or piped in, so the flow can be scripted and tested.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify one email address interactively: asks for a name and an address, sends a code, and checks what you type.",
            "Type 'resend' at the code prompt for a new code. Exit status 0 when verified, 1 otherwise."
        })
final class VerifyCommand implements Callable<Integer> {

    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);

    @ParentCommand
    Main main;

    @Option(names = "--email", paramLabel = "EMAIL", description = "The address to verify (asked if missing).")
    String email;

    @Option(names = "--name", paramLabel = "NAME", description = "Your name (asked if missing; may be left empty).")
    String name;

    @Mixin
    PurposeOption purpose;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            defaultValue = "default",
            converter = TenantConverter.class,
            description = "The tenant the verification belongs to (default: ${DEFAULT-VALUE}).")
    Tenant tenant;

    @Mixin
    LocaleOption locale;

    /** This run's emails in dev mode, whichever process on the database captured them. */
    private DevMailboxPrinter.Follower mailbox;

    @Override
    public Integer call() throws Exception {
        Terminal t = main.terminal;
        try (OtpGate app = main.open()) {
            mailbox = DevMailboxPrinter.follow(app, t);
            Optional<String> givenName = name != null ? Optional.of(name) : t.ask("Name: ");
            if (givenName.isEmpty()) {
                return fail(t, "No input.");
            }
            Optional<Verification> started = start(app, t, givenName.get());
            if (started.isEmpty()) {
                return 1;
            }
            Verification v = started.get();
            if (!awaitDelivery(app, t, v)) {
                return 1;
            }
            return promptForCode(app, t, v);
        }
    }

    private Optional<Verification> start(OtpGate app, Terminal t, String givenName) {
        String address = email;
        while (true) {
            if (address == null) {
                Optional<String> typed = t.ask("Email: ");
                if (typed.isEmpty()) {
                    fail(t, "No input.");
                    return Optional.empty();
                }
                address = typed.get();
            }
            if (EmailAddress.parse(address) instanceof Validated.Invalid<EmailAddress> invalid) {
                t.say("That is not a valid email address: " + invalid.reason() + ". Try again.");
                if (email != null) {
                    return Optional.empty();
                }
                address = null;
                continue;
            }
            StartRequest request = StartRequest.of(address)
                    .withName(givenName)
                    .withPurpose(purpose.value)
                    .withLocale(locale.value)
                    .withTenant(tenant);
            StartResult result = app.verifier().start(request);
            if (result.kind() == StartResult.Kind.STARTED) {
                Verification started = ((StartResult.Started) result).verification();
                t.say("Sending a code to " + started.email() + " ...");
                return Optional.of(started);
            }
            t.say(Messages.describe(result, app.clock().instant()));
            if (result.kind() == StartResult.Kind.INVALID_EMAIL && email == null) {
                address = null;
                continue;
            }
            return Optional.empty();
        }
    }

    /**
     * Waits until the email is with the mail server (or captured by the dev mailbox), so the person
     * is asked for a code only once one is on its way, and learns at once if it never will be.
     */
    private boolean awaitDelivery(OtpGate app, Terminal t, Verification v) {
        Instant deadline = app.clock().instant().plus(DELIVERY_WAIT);
        int reportedAttempts = 0;
        Delivery delivery = v.delivery();
        while (app.clock().instant().isBefore(deadline)) {
            delivery = app.verifier().find(v.id()).orElseThrow().delivery();
            DeliveryStatus status = delivery.status();
            if (status == DeliveryStatus.SENT) {
                mailbox.printNew(v.email());
                Duration left = Duration.between(app.clock().instant(), v.expiresAt());
                t.say("Code sent. It expires in " + Messages.inWords(left)
                        + ". Type it below, or 'resend' for a new one.");
                return true;
            }
            if (status == DeliveryStatus.FAILED
                    || status == DeliveryStatus.EXPIRED_UNDELIVERED
                    || status == DeliveryStatus.CANCELED) {
                fail(
                        t,
                        "The email could not be delivered: "
                                + delivery.lastError().orElse(status.wireName()));
                return false;
            }
            if (delivery.attempts() > reportedAttempts) {
                reportedAttempts = delivery.attempts();
                t.say("The mail server has not taken the email yet ("
                        + delivery.lastError().orElse("no reply") + "); retrying ...");
            }
            app.pause(Duration.ofMillis(50));
        }
        if (delivery.attempts() > 0) {
            // The server refused it or could not be reached, again and again: saying it may arrive
            // would send the person to wait for an email that is not coming.
            fail(
                    t,
                    "The email could not be delivered: " + delivery.lastError().orElse("no reply")
                            + " (delivery is still being retried; try again later)");
            return false;
        }
        t.say("The email is still on its way; it may arrive shortly.");
        return true;
    }

    private int promptForCode(OtpGate app, Terminal t, Verification started) {
        Verification v = started;
        while (true) {
            Optional<String> typed = t.ask("Code: ");
            if (typed.isEmpty()) {
                return fail(t, "No input: not verified.");
            }
            String input = typed.get().strip();
            if (input.equalsIgnoreCase("resend")) {
                Optional<Verification> resent = resend(app, t, v);
                if (resent.isEmpty()) {
                    return 1;
                }
                v = resent.get();
                continue;
            }
            CheckResult result = app.verifier().check(tenant, v.id(), input);
            t.say(Messages.describe(result, app.clock().instant()));
            Optional<Integer> exitStatus = switch (result.kind()) {
                case APPROVED -> Optional.of(0);
                // Another try: a malformed code used no attempt, and a wrong one left some.
                case INCORRECT, INVALID_FORMAT -> Optional.empty();
                case EXPIRED, EXHAUSTED, ALREADY_APPROVED, CANCELED, NOT_FOUND, RECIPIENT_LOCKED -> Optional.of(1);
            };
            if (exitStatus.isPresent()) {
                return exitStatus.get();
            }
        }
    }

    /** The verification to go on with once a new code was asked for; empty when there is none. */
    private Optional<Verification> resend(OtpGate app, Terminal t, Verification v) {
        ResendResult result = app.verifier().resend(tenant, v.id());
        t.say(Messages.describe(result, app.clock().instant()));
        return switch (result.kind()) {
            case RESENT -> {
                Verification resent = ((ResendResult.Resent) result).verification();
                yield awaitDelivery(app, t, resent) ? Optional.of(resent) : Optional.empty();
            }
            // The last code sent still works.
            case TOO_SOON, MAX_SENDS_REACHED -> Optional.of(v);
            case NOT_PENDING, NOT_FOUND, RATE_LIMITED, RECIPIENT_LOCKED -> Optional.empty();
        };
    }

    private static int fail(Terminal t, String reason) {
        t.say(reason);
        return 1;
    }
}
