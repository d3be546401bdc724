package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.Idempotency;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * One verification per CSV row ("many users in one go"): bad rows are reported by line number and
 * skipped, never stopping the rest; then, unless told not to, waits until every email has reached
 * a final state and prints what happened.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Send a code to every address in a CSV file with a header row: email (required), name, locale.",
            "Exit status 0 only if every row was accepted."
        })
final class SendCommand implements Callable<Integer> {

    /** Rows handed to the engine at once; it commits them in one transaction. */
    private static final int CHUNK = 200;

    /** How often the wait for delivery looks at its progress. */
    private static final Duration POLL = Duration.ofMillis(400);
    /** Emails asked about per poll while waiting for delivery. */
    private static final int POLL_WINDOW = 500;

    @ParentCommand
    Main main;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file.")
    Path csv;

    @Mixin
    PurposeOption purpose;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            defaultValue = "default",
            converter = TenantConverter.class,
            description = "The tenant the verifications belong to (default: ${DEFAULT-VALUE}).")
    Tenant tenant;

    @Option(names = "--no-wait", description = "Return once every row is queued, without waiting for delivery.")
    boolean noWait;

    @Option(
            names = "--wait-timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Longest wait for delivery, as 90s, 10m, 1h or ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        if (Purpose.parse(purpose.value) instanceof Validated.Invalid<Purpose> invalid) {
            t.warn("otpgate: --purpose " + purpose.value + ": " + invalid.reason());
            return Main.USAGE;
        }
        Path file = main.resolve(csv);
        List<CsvFile.Row> rows;
        try {
            rows = CsvFile.read(file);
        } catch (IOException e) {
            String reason = e instanceof CsvFile.Unreadable ? e.getMessage() : describe(e);
            t.warn("otpgate: cannot read " + file + ": " + reason);
            return Main.USAGE;
        }
        try (Interruption interruption = Interruption.watch();
                OtpGate app = main.open()) {
            Tally tally = queue(app, t, rows, file.getFileName().toString(), interruption);
            t.say("accepted: " + tally.accepted.size());
            if (tally.earlier > 0) {
                t.say("queued earlier: " + tally.earlier + " (the same rows were sent by an earlier run; skipped)");
            }
            t.say("rejected: " + tally.rejected);
            t.say("duplicates: " + tally.duplicates);
            if (tally.unread > 0) {
                t.say("not read: " + tally.unread + " (interrupted; run the same file again to finish it)");
            }
            if (!noWait && !tally.awaited.isEmpty()) {
                Map<DeliveryStatus, Integer> outcome = awaitDelivery(app, t, tally.awaited, timeout, interruption);
                int failed = outcome.getOrDefault(DeliveryStatus.FAILED, 0)
                        + outcome.getOrDefault(DeliveryStatus.EXPIRED_UNDELIVERED, 0);
                int pending = tally.awaited.size()
                        - outcome.getOrDefault(DeliveryStatus.SENT, 0)
                        - failed
                        - outcome.getOrDefault(DeliveryStatus.CANCELED, 0);
                t.say("delivered: " + outcome.getOrDefault(DeliveryStatus.SENT, 0));
                t.say("failed: " + failed);
                if (pending > 0) {
                    t.say("still queued: " + pending
                            + (interruption.signal().isPresent()
                                    ? " (interrupted; delivery continues in the next otpgate process)"
                                    : " (the wait timed out; delivery continues in the next otpgate process)"));
                }
            }
            if (interruption.signal().isPresent()) {
                app.stopDelivery();
                return interruption.signal().get().exitStatus();
            }
            return tally.rejected == 0 && tally.duplicates == 0 ? 0 : 1;
        }
    }

    /** What became of the rows: each data row is accepted, rejected, a duplicate or (interrupted) unread. */
    private static final class Tally {
        final List<VerificationId> accepted = new ArrayList<>();
        /** Accepted now or by an earlier run: the emails to wait for. */
        final List<VerificationId> awaited = new ArrayList<>();
        /** Rows an earlier run of the same file started: not started again, their delivery still awaited. */
        int earlier;

        int rejected;
        int duplicates;
        int unread;

        /** Counts a row the engine took, or says why it refused it. */
        Optional<Refusal> count(StartResult result, Instant now) {
            return switch (result.kind()) {
                case STARTED -> {
                    VerificationId id =
                            ((StartResult.Started) result).verification().id();
                    accepted.add(id);
                    awaited.add(id);
                    yield Optional.empty();
                }
                case REPLAYED -> {
                    earlier++;
                    awaited.add(((StartResult.Replayed) result).verification().id());
                    yield Optional.empty();
                }
                case INVALID_EMAIL, INVALID_FIELD, RATE_LIMITED, RECIPIENT_LOCKED, IDEMPOTENCY_KEY_REUSED ->
                    Optional.of(new Refusal(false, Messages.describe(result, now)));
            };
        }
    }

    private Tally queue(OtpGate app, Terminal t, List<CsvFile.Row> rows, String fileName, Interruption interruption) {
        Progress progress = new Progress(t, "queued", rows.size());
        Tally tally = new Tally();
        Map<String, Integer> firstLine = new HashMap<>();
        // Rows go to the engine a chunk at a time: it writes each chunk in one transaction, which
        // is far faster than a commit per row, and the progress bar still moves. A signal stops
        // intake between chunks, so every chunk is either queued whole or not at all.
        for (int from = 0; from < rows.size(); from += CHUNK) {
            if (interruption.signal().isPresent()) {
                tally.unread = rows.size() - from;
                break;
            }
            List<CsvFile.Row> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            List<Optional<Refusal>> refusals = new ArrayList<>();
            List<StartRequest> requests = new ArrayList<>();
            for (CsvFile.Row row : chunk) {
                Optional<Refusal> refusal = refusal(row, firstLine);
                refusals.add(refusal);
                if (refusal.isEmpty()) {
                    requests.add(request(row, fileName));
                }
            }
            List<StartResult> results = app.verifier().startAll(requests);
            int k = 0;
            for (int i = 0; i < chunk.size(); i++) {
                Optional<Refusal> refusal = refusals.get(i);
                if (refusal.isEmpty()) {
                    refusal = tally.count(results.get(k++), app.clock().instant());
                }
                if (refusal.isPresent()) {
                    if (refusal.get().duplicate()) {
                        tally.duplicates++;
                    } else {
                        tally.rejected++;
                    }
                    progress.interrupt();
                    t.warn("line " + chunk.get(i).line() + ": " + refusal.get().reason());
                }
                progress.step();
            }
        }
        progress.done();
        return tally;
    }

    /** A row not accepted, and why; duplicates are counted apart so that the summary adds up. */
    private record Refusal(boolean duplicate, String reason) {}

    /** Why a row is refused before it reaches the engine: unreadable, no address, or a mailbox already in the file. */
    private static Optional<Refusal> refusal(CsvFile.Row row, Map<String, Integer> firstLine) {
        if (row.problem().isPresent()) {
            return Optional.of(new Refusal(false, row.problem().get()));
        }
        String email = row.get("email").orElse("");
        if (email.isBlank()) {
            return Optional.of(new Refusal(false, "no email address"));
        }
        Integer earlier = firstLine.putIfAbsent(mailbox(email), row.line());
        if (earlier != null) {
            return Optional.of(new Refusal(true, "duplicate_recipient: the same mailbox as line " + earlier));
        }
        return Optional.empty();
    }

    /**
     * The mailbox an address reaches, for spotting the same recipient twice: {@code Ada@Example.com}
     * and {@code ada@example.com} are one, as for every limit and lookup. An address the engine will
     * refuse anyway keeps its own text.
     */
    static String mailbox(String email) {
        return EmailAddress.parse(email) instanceof Validated.Valid<EmailAddress> valid
                ? MailboxKey.of(valid.value()).value()
                : email.strip();
    }

    /**
     * The row as a start whose idempotency key comes from what the row asks for and where it came
     * from: running the same file again, after an interruption or an edit, starts only
     * the rows that are new or changed and mails nobody twice.
     */
    private StartRequest request(CsvFile.Row row, String fileName) {
        String email = row.get("email").orElse("");
        Optional<String> name = row.get("name").filter(s -> !s.isBlank());
        Optional<String> locale = row.get("locale").filter(s -> !s.isBlank());
        String key = "csv:"
                + Idempotency.digest(
                        tenant.name(), purpose.value, fileName, mailbox(email), name.orElse(""), locale.orElse(""));
        return new StartRequest(email, name, Optional.of(purpose.value), locale, List.of())
                .withTenant(tenant)
                .idempotent(key);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private Map<DeliveryStatus, Integer> awaitDelivery(
            OtpGate app, Terminal t, List<VerificationId> ids, Duration timeout, Interruption interruption) {
        Progress progress = new Progress(t, "delivered", ids.size());
        Instant deadline = app.clock().instant().plus(timeout);
        // Each poll asks about the oldest emails still on their way, POLL_WINDOW at a time, and goes
        // on to the next ones only while a whole window has settled: the outbox sends the oldest
        // first, so the question stays small however long the file. Asking about every unsettled
        // email took 6.5% of the CPU of a bench/run delivery. Should the oldest be held back
        // (retrying), the count on screen waits for them; the totals read at the end are exact.
        List<VerificationId> unsettled = new ArrayList<>(ids);
        while (true) {
            while (!unsettled.isEmpty()) {
                List<VerificationId> oldest = unsettled.subList(0, Math.min(POLL_WINDOW, unsettled.size()));
                Set<VerificationId> still =
                        new HashSet<>(app.database().outbox().unsettled(oldest));
                oldest.removeIf(id -> !still.contains(id));
                if (!still.isEmpty()) {
                    break;
                }
            }
            progress.show(ids.size() - unsettled.size());
            if (unsettled.isEmpty()
                    || app.clock().instant().isAfter(deadline)
                    || interruption.signal().isPresent()) {
                progress.done();
                if (interruption.signal().isPresent()) {
                    // Settle what is in flight first, so that the counts below include it.
                    app.stopDelivery();
                }
                return app.database().outbox().newestByStatus(ids);
            }
            app.pause(POLL);
        }
    }
}
