package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.core.email.EmailAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DevMailboxTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private final ListStore store = new ListStore();
    private final DevMailbox mailbox = new DevMailbox(Clock.fixed(NOW, ZoneOffset.UTC), store, 3);

    @Test
    void capturesInsteadOfSendingAndAccepts() {
        SendOutcome outcome = send(mailbox, email(1));

        assertThat(outcome).isEqualTo(new SendOutcome.Accepted("250 captured by the dev mailbox"));
        CapturedEmail captured = mailbox.messages().get(0);
        assertThat(captured.to().value()).isEqualTo("user1@example.com");
        assertThat(captured.subject()).isEqualTo("100001 is your code");
        assertThat(captured.text()).isEqualTo("text 1");
        assertThat(captured.html()).isEqualTo("<p>html 1</p>");
        assertThat(captured.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void listsNewestFirst() {
        send(mailbox, email(1));
        send(mailbox, email(2));

        assertThat(mailbox.messages()).extracting(CapturedEmail::text).containsExactly("text 2", "text 1");
    }

    @Test
    void keepsOnlyTheMostRecentMessages() {
        for (int i = 1; i <= 5; i++) {
            send(mailbox, email(i));
        }

        assertThat(mailbox.messages()).extracting(CapturedEmail::text).containsExactly("text 5", "text 4", "text 3");
    }

    @Test
    void tellsSubscribersUntilTheyUnsubscribe() {
        List<CapturedEmail> heard = new ArrayList<>();
        DevMailbox.Subscription subscription = mailbox.subscribe(heard::add);

        send(mailbox, email(1));
        subscription.close();
        send(mailbox, email(2));

        assertThat(heard).extracting(CapturedEmail::text).containsExactly("text 1");
    }

    @Test
    void aFailingSubscriberDoesNotStopDelivery() {
        List<CapturedEmail> heard = new ArrayList<>();
        mailbox.subscribe(email -> {
            throw new IllegalStateException("terminal closed");
        });
        mailbox.subscribe(heard::add);

        SendOutcome outcome = send(mailbox, email(1));

        assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
        assertThat(heard).hasSize(1);
    }

    @Test
    void concurrentSendersKeepTheBound() throws Exception {
        DevMailbox shared = new DevMailbox(Clock.systemUTC(), new ListStore(), 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    try (MailTransport.Connection connection = shared.connect()) {
                        for (int i = 0; i < 100; i++) {
                            connection.send(email(i));
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(shared.messages()).hasSize(50);
    }

    @Test
    void toStringDoesNotShowTheCode() {
        send(mailbox, email(1));

        assertThat(mailbox.messages().get(0).toString())
                .doesNotContain("100001")
                .contains("u***@example.com");
    }

    @Test
    void anEmailThatCannotBeStoredIsATemporaryFailureAndNobodyHearsOfIt() {
        List<CapturedEmail> heard = new ArrayList<>();
        mailbox.subscribe(heard::add);
        store.broken = true;

        SendOutcome outcome = send(mailbox, email(1));

        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        assertThat(outcome.reply()).contains("could not store").doesNotContain("100001");
        assertThat(heard).isEmpty();
    }

    @Test
    void afterListsLaterCapturesOldestFirst() {
        send(mailbox, email(1));
        long first = mailbox.newestNumber();
        send(mailbox, email(2));
        send(mailbox, email(3));

        assertThat(mailbox.after(first)).extracting(CapturedEmail::text).containsExactly("text 2", "text 3");
    }

    @Test
    void anEmptyMailboxHasNewestNumberZero() {
        assertThat(mailbox.newestNumber()).isZero();
    }

    /**
     * The store's contract in memory, for the mailbox's own behaviour; the database store, shared by
     * processes, is tested on H2 and PostgreSQL in the jdbc module.
     */
    static final class ListStore implements CapturedEmails {
        private final List<CapturedEmail> emails = new ArrayList<>();
        volatile boolean broken;

        @Override
        public synchronized CapturedEmail capture(OutgoingEmail email, Instant receivedAt, int keep) {
            if (broken) {
                throw new IllegalStateException("database down");
            }
            long number = emails.isEmpty() ? 1 : emails.get(emails.size() - 1).number() + 1;
            CapturedEmail captured =
                    new CapturedEmail(number, email.to(), email.subject(), email.text(), email.html(), receivedAt);
            emails.add(captured);
            emails.removeIf(e -> e.number() <= number - keep);
            return captured;
        }

        @Override
        public synchronized List<CapturedEmail> newest(int limit) {
            List<CapturedEmail> newest = new ArrayList<>(emails);
            java.util.Collections.reverse(newest);
            return List.copyOf(newest.subList(0, Math.min(limit, newest.size())));
        }

        @Override
        public synchronized List<CapturedEmail> after(long number) {
            return emails.stream().filter(e -> e.number() > number).toList();
        }
    }

    private static SendOutcome send(DevMailbox mailbox, OutgoingEmail email) {
        try (MailTransport.Connection connection = mailbox.connect()) {
            return connection.send(email);
        }
    }

    private static OutgoingEmail email(int n) {
        return new OutgoingEmail(
                "<msg_" + n + "@localhost>",
                new EmailAddress("user" + n + "@example.com"),
                Optional.empty(),
                (100000 + n) + " is your code",
                "text " + n,
                "<p>html " + n + "</p>");
    }
}
