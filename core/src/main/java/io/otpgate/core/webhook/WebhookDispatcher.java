package io.otpgate.core.webhook;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.delivery.LeaseHeartbeat;
import io.otpgate.core.delivery.WorkerLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link WebhookQueue} holds, signed by the Standard Webhooks convention, on worker
 * threads of its own (a slow endpoint never holds up an email). Leases work as in the email
 * outbox, through the same {@link LeaseHeartbeat} and {@link WorkerLease}: a worker whose lease went
 * unconfirmed sends nothing more of its batch, and every outcome is recorded under its claim number.
 * Delivery is at least once: the {@code webhook-id} stays the same on every attempt and replay, so
 * receivers can drop duplicates.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 4;

    private final WebhookQueue queue;
    private final WebhookTransport transport;
    private final CodeSealer sealer;
    private final Clock clock;
    private final WebhookRetries retries;
    private final WebhookListener listener;
    private final int workers;
    private final Duration lease;
    private final Duration pollInterval;
    private final String instanceId;
    private final List<WorkerLease> leases = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LeaseHeartbeat heartbeat;
    private final SplittableRandom random = new SplittableRandom();
    private final Object idle = new Object();
    private volatile boolean running;

    private WebhookDispatcher(Builder b) {
        this.queue = Objects.requireNonNull(b.queue, "queue");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.sealer = Objects.requireNonNull(b.sealer, "sealer");
        this.clock = b.clock;
        this.retries = b.retries;
        this.listener = b.listener;
        this.workers = b.workers;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.instanceId = b.instanceId;
        this.heartbeat = new LeaseHeartbeat("otpgate-webhook-heartbeat", queue::renew, leases, lease);
    }

    public static Builder builder() {
        return new Builder();
    }

    public synchronized WebhookDispatcher start() {
        if (running || !threads.isEmpty()) {
            return this;
        }
        running = true;
        for (int i = 0; i < workers; i++) {
            WorkerLease workerLease = heartbeat.workerLease("wh-" + instanceId + "-" + i);
            leases.add(workerLease);
            Thread thread = new Thread(() -> work(workerLease), "otpgate-webhook-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        heartbeat.start();
        threads.forEach(Thread::start);
        return this;
    }

    /**
     * Stops claiming, lets each worker finish its current post (10 s at most) and record it, and
     * gives back every lease. Workers are woken, never interrupted: an interrupt would cut a post
     * short and count it as a failed attempt, or land in the middle of a database call.
     */
    @Override
    public void close() {
        List<Thread> started;
        synchronized (this) {
            running = false;
            started = List.copyOf(threads);
        }
        synchronized (idle) {
            idle.notifyAll();
        }
        for (Thread thread : started) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        heartbeat.stop();
    }

    private void work(WorkerLease workerLease) {
        String owner = workerLease.owner();
        try {
            while (running) {
                long askedAt = System.nanoTime();
                List<QueuedWebhook> batch;
                try {
                    batch = queue.claim(owner, BATCH, clock.instant(), lease);
                } catch (RuntimeException e) {
                    log.warn("webhook claim failed owner={}: {}", owner, e.toString());
                    batch = List.of();
                }
                if (batch.isEmpty()) {
                    workerLease.released();
                    pause();
                    continue;
                }
                workerLease.claimed(askedAt);
                Set<String> gone = new HashSet<>();
                for (QueuedWebhook delivery : batch) {
                    if (!running || !workerLease.current()) {
                        // Another worker may soon take these rows, or has: send none of them.
                        break;
                    }
                    if (gone.contains(delivery.webhookId())) {
                        // Disabled by an earlier 410 of this batch: given back below, and claimed no more.
                        continue;
                    }
                    try {
                        if (deliver(delivery) == WebhookTransport.Kind.GONE) {
                            gone.add(delivery.webhookId());
                        }
                    } catch (RuntimeException e) {
                        log.error("webhook delivery failed id={} webhook={}", delivery.id(), delivery.webhookId(), e);
                    }
                }
                releaseQuietly(owner);
                workerLease.released();
            }
        } finally {
            releaseQuietly(owner);
        }
    }

    /** Signs and posts one message, then records what the endpoint did, under the claim. */
    private WebhookTransport.Kind deliver(QueuedWebhook delivery) {
        Instant now = clock.instant();
        WebhookSecret secret = WebhookSecret.of(sealer.openBytes(delivery.webhookId(), delivery.sealedSecret()));
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = Map.of(
                "webhook-id", delivery.id(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", WebhookSignature.sign(secret, delivery.id(), timestamp, delivery.payload()));
        WebhookTransport.Outcome outcome = transport.post(delivery.url(), headers, delivery.payload());
        Instant at = clock.instant();
        WebhookListener.Outcome attempt = WebhookListener.Outcome.DELIVERED;
        boolean recorded = switch (outcome.kind()) {
            case DELIVERED -> queue.delivered(delivery, at, ((WebhookTransport.Outcome.Delivered) outcome).status());
            case GONE -> {
                log.warn("webhook endpoint answered 410 Gone and is disabled webhook={}", delivery.webhookId());
                attempt = WebhookListener.Outcome.GONE;
                yield queue.gone(delivery, at);
            }
            case FAILED -> {
                WebhookTransport.Outcome.Failed failed = (WebhookTransport.Outcome.Failed) outcome;
                Integer status = failed.status() > 0 ? failed.status() : null;
                Optional<Instant> next = retries.next(delivery.attempts() + 1, at, random);
                log.info(
                        "webhook attempt failed id={} webhook={} attempt={} reason={}",
                        delivery.id(),
                        delivery.webhookId(),
                        delivery.attempts() + 1,
                        failed.reason());
                attempt = next.isPresent() ? WebhookListener.Outcome.RETRYING : WebhookListener.Outcome.FAILED;
                yield next.isPresent()
                        ? queue.retryLater(delivery, at, next.get(), status, failed.reason())
                        : queue.failed(delivery, at, status, failed.reason());
            }
        };
        if (recorded) {
            // Counted as the delivery log shows it: an outcome the lease's new holder overrides is not.
            listener.attempted(delivery, attempt);
        } else {
            log.warn("webhook outcome not recorded: the lease was lost id={}", delivery.id());
        }
        return outcome.kind();
    }

    private void pause() {
        synchronized (idle) {
            if (!running) {
                return;
            }
            try {
                idle.wait(Math.max(1, pollInterval.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void releaseQuietly(String owner) {
        try {
            queue.release(owner);
        } catch (RuntimeException e) {
            log.warn("could not release webhook leases owner={}: {}", owner, e.toString());
        }
    }

    /** Builds a {@link WebhookDispatcher}; queue, transport and sealer are required. */
    public static final class Builder {
        private WebhookQueue queue;
        private WebhookTransport transport;
        private CodeSealer sealer;
        private Clock clock = Clock.systemUTC();
        private WebhookRetries retries = WebhookRetries.defaults();
        private WebhookListener listener = WebhookListener.NONE;
        private int workers = 2;
        private Duration lease = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private String instanceId = UUID.randomUUID().toString().substring(0, 8);

        private Builder() {}

        public Builder queue(WebhookQueue queue) {
            this.queue = queue;
            return this;
        }

        public Builder transport(WebhookTransport transport) {
            this.transport = transport;
            return this;
        }

        /** The sealer of webhook secrets ({@link CodeSealer#forWebhookSecrets}). */
        public Builder sealer(CodeSealer sealer) {
            this.sealer = sealer;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Told each attempt's outcome once recorded, for metrics; nothing by default. */
        public Builder listener(WebhookListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder retries(WebhookRetries retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
            this.workers = workers;
            return this;
        }

        /**
         * How long a claim lasts without a heartbeat. Longer than a post can take (10 s), so a live
         * worker's heartbeat always comes in time.
         */
        public Builder lease(Duration lease) {
            if (lease.compareTo(Duration.ofMillis(30)) < 0) {
                throw new IllegalArgumentException("lease must be at least 30 ms");
            }
            this.lease = lease;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        public WebhookDispatcher build() {
            return new WebhookDispatcher(this);
        }
    }
}
