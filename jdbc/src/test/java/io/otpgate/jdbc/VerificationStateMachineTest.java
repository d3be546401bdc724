package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CancelResult;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of start, check (right and wrong, by id and by address), resend, cancel and
 * clock steps against the real store, over letter-case variants of one mailbox, two API tenants and
 * the hosted pages, with the guarantees checked after every step. Run on each database by
 * {@code VerificationStateMachineOn…Test}.
 */
abstract class VerificationStateMachineTest {

    private static final List<String> VARIANTS =
            List.of("ada@example.com", "Ada@example.com", "ADA@EXAMPLE.COM", "aDa@Example.com", "ada+x@example.com");
    private static final List<Tenant> TENANTS = List.of(Tenant.DEFAULT, new Tenant("acme"), Tenant.PAGES);
    private static final int FAILURE_LIMIT = 4;
    private static final Duration LOCK = Duration.ofMinutes(20);

    /** Small budgets, so that a short sequence reaches every limit. */
    private static final Policy POLICY = new Policy(
                    6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 3, Duration.ofSeconds(30), 4, FAILURE_LIMIT, LOCK)
            .withRecipientBudgets(2, 6);

    private final DatabaseKind kind;
    private final List<World> opened = new ArrayList<>();

    VerificationStateMachineTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @Property(tries = 25)
    void everyGuaranteeHoldsAfterEveryStep(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("guarantees", World::checkInvariants).run();
    }

    @AfterTry
    void closeWorlds() {
        opened.forEach(World::close);
        opened.clear();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.<World>startWith(this::newWorld)
                .withAction(3, new Start())
                .withAction(3, new Check())
                .withAction(1, new CheckByEmail())
                .withAction(1, new Resend())
                .withAction(1, new Cancel())
                .withAction(1, new Advance())
                .withAction(2, new Deliver())
                .withMaxTransformations(40);
    }

    private World newWorld() {
        try {
            World world = new World(new EngineFixture(kind.fresh(Files.createTempDirectory("otpgate-chain")), POLICY));
            opened.add(world);
            return world;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A verification the sequence started, with the code its newest email carries. */
    record Started(VerificationId id, Tenant tenant, String mailbox) {}

    /**
     * The test's own idea of a mailbox, independent of the code under test: the whole address in
     * lower case (the variants are ASCII and their domains are already lower case when canonical).
     */
    static String mailboxOf(String email) {
        return email.toLowerCase(java.util.Locale.ROOT);
    }

    /** The real store behind the engine, and what the sequence has learnt from its answers. */
    static final class World {
        final EngineFixture engine;
        final List<Started> started = new ArrayList<>();
        final Map<VerificationId, String> codes = new HashMap<>();
        final Map<VerificationId, Integer> approvals = new HashMap<>();
        /** Per tenant and mailbox: wrong codes counted since the last success, and the lock they set. */
        final Map<String, Integer> misses = new HashMap<>();

        final Map<String, Instant> lockedUntil = new HashMap<>();

        World(EngineFixture engine) {
            this.engine = engine;
        }

        void close() {
            engine.close();
        }

        Instant now() {
            return engine.clock.instant();
        }

        private String slot(Tenant tenant, String mailbox) {
            return tenant + ":" + mailbox;
        }

        boolean locked(Tenant tenant, String mailbox) {
            Instant until = lockedUntil.get(slot(tenant, mailbox));
            return until != null && until.isAfter(now());
        }

        /**
         * Records what a check of {@code v} answered, asserting it agrees with the lock the misses so far
         * must have set; {@code miss} is whether it counted as a wrong code (it used an attempt).
         */
        void checked(Started v, CheckResult result, boolean miss) {
            String slot = slot(v.tenant(), v.mailbox());
            if (result instanceof CheckResult.Approved) {
                assertThat(locked(v.tenant(), v.mailbox()))
                        .as("approved while locked")
                        .isFalse();
                approvals.merge(v.id(), 1, Integer::sum);
                misses.remove(slot);
                lockedUntil.remove(slot);
            } else if (miss) {
                assertThat(locked(v.tenant(), v.mailbox()))
                        .as("a wrong code counted while the mailbox is locked")
                        .isFalse();
                int count = misses.merge(slot, 1, Integer::sum);
                if (count >= FAILURE_LIMIT) {
                    lockedUntil.put(slot, now().plus(LOCK));
                }
            } else if (result instanceof CheckResult.RecipientLocked) {
                assertThat(locked(v.tenant(), v.mailbox()))
                        .as("locked after fewer than %d wrong codes", FAILURE_LIMIT)
                        .isTrue();
            }
        }

        Map<VerificationId, Integer> attempts() {
            Map<VerificationId, Integer> used = new HashMap<>();
            started.forEach(v -> used.put(
                    v.id(), engine.count("SELECT attempts_used FROM verifications WHERE id = ?", v.id().value())));
            return used;
        }

        /** Whether the check just made used one of the verification's attempts and kept it: a wrong code. */
        boolean missed(Map<VerificationId, Integer> before, VerificationId id) {
            return attempts().get(id) > before.get(id);
        }

        void checkInvariants() {
            approvals.forEach((id, n) -> assertThat(n).as("approvals of %s", id).isLessThanOrEqualTo(1));
            assertThat(engine.count("""
                    SELECT COUNT(*) FROM (SELECT tenant, LOWER(email), purpose FROM verifications
                     WHERE status = 'pending' GROUP BY tenant, LOWER(email), purpose HAVING COUNT(*) > 1) more
                    """))
                    .as("at most one pending verification per tenant, mailbox and purpose")
                    .isZero();
            assertThat(engine.count("""
                    SELECT COUNT(*) FROM verifications
                     WHERE attempts_used < 0 OR attempts_used > max_attempts OR sends < 1 OR sends > max_sends
                    """))
                    .as("attempt and send counters within their bounds")
                    .isZero();
            assertThat(engine.count("SELECT COUNT(*) FROM rate_buckets WHERE hits < 1"))
                    .as("rate counters positive")
                    .isZero();
            assertThat(engine.count("SELECT COUNT(*) FROM mailbox_failures WHERE consecutive < 1"))
                    .as("failure counts positive")
                    .isZero();
            for (Started v : started) {
                assertThat(engine.verifier.find(v.tenant(), v.id()))
                        .as("%s readable by its tenant", v.id())
                        .isPresent();
                for (Tenant other : TENANTS) {
                    if (!other.equals(v.tenant())) {
                        assertThat(engine.verifier.find(other, v.id()))
                                .as("%s hidden from %s", v.id(), other)
                                .isEmpty();
                    }
                }
            }
        }
    }

    static final class Start implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.of(VARIANTS)
                    .flatMap(email -> Arbitraries.of(TENANTS)
                            .map(tenant -> Transformer.mutate("start " + email + " in " + tenant, world -> {
                                StartResult result = world.engine.verifier.start(
                                        StartRequest.of(email).withTenant(tenant));
                                if (result instanceof StartResult.Started s) {
                                    Verification v = s.verification();
                                    world.started.add(new Started(v.id(), tenant, mailboxOf(email)));
                                    world.codes.put(v.id(), world.engine.codeOf(v.id()));
                                } else if (result instanceof StartResult.RecipientLocked) {
                                    assertThat(world.locked(tenant, mailboxOf(email)))
                                            .as("start refused as locked")
                                            .isTrue();
                                } else {
                                    assertThat(result).isInstanceOf(StartResult.RateLimited.class);
                                }
                            })));
        }
    }

    /** Picks one of the started verifications and a caller: its own tenant mostly, another sometimes. */
    private abstract static class OnStarted implements Action.Dependent<World> {
        @Override
        public boolean precondition(World world) {
            return !world.started.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<World>> transformer(World world) {
            return Arbitraries.of(world.started)
                    .flatMap(v -> Arbitraries.frequencyOf(
                                    net.jqwik.api.Tuple.of(4, Arbitraries.just(v.tenant())),
                                    net.jqwik.api.Tuple.of(1, Arbitraries.of(TENANTS)))
                            .flatMap(caller -> act(v, caller)));
        }

        abstract Arbitrary<Transformer<World>> act(Started v, Tenant caller);
    }

    static final class Check extends OnStarted {
        @Override
        Arbitrary<Transformer<World>> act(Started v, Tenant caller) {
            return Arbitraries.of(true, false)
                    .map(right -> Transformer.mutate(
                            (right ? "right" : "wrong") + " code for " + v.id() + " by " + caller, world -> {
                                String code = world.codes.get(v.id());
                                String typed = right ? code : code.equals("000000") ? "111111" : "000000";
                                Map<VerificationId, Integer> before = world.attempts();
                                CheckResult result = world.engine.verifier.check(caller, v.id(), typed);
                                if (!caller.equals(v.tenant())) {
                                    assertThat(result).isInstanceOf(CheckResult.NotFound.class);
                                    assertThat(world.attempts()).isEqualTo(before);
                                    return;
                                }
                                world.checked(v, result, world.missed(before, v.id()));
                            }));
        }
    }

    static final class CheckByEmail extends OnStarted {
        @Override
        Arbitrary<Transformer<World>> act(Started v, Tenant caller) {
            return Arbitraries.of(VARIANTS)
                    .filter(email -> mailboxOf(email).equals(v.mailbox()))
                    .map(email -> Transformer.mutate("right code by address " + email + " by " + caller, world -> {
                        Map<VerificationId, Integer> before = world.attempts();
                        CheckResult result = world.engine.verifier.check(caller, email, null, world.codes.get(v.id()));
                        if (result instanceof CheckResult.Decided decided) {
                            Started found = world.started.stream()
                                    .filter(s ->
                                            s.id().equals(decided.verification().id()))
                                    .findFirst()
                                    .orElseThrow();
                            assertThat(found.tenant())
                                    .as("check-by-email finds only the caller's verification")
                                    .isEqualTo(caller);
                            world.checked(found, result, world.missed(before, found.id()));
                        } else if (result instanceof CheckResult.RecipientLocked) {
                            assertThat(world.locked(caller, v.mailbox())).isTrue();
                        }
                    }));
        }
    }

    static final class Resend extends OnStarted {
        @Override
        Arbitrary<Transformer<World>> act(Started v, Tenant caller) {
            return Arbitraries.just(Transformer.mutate("resend " + v.id() + " by " + caller, world -> {
                ResendResult result = world.engine.verifier.resend(caller, v.id());
                if (!caller.equals(v.tenant())) {
                    assertThat(result).isInstanceOf(ResendResult.NotFound.class);
                } else if (result instanceof ResendResult.Resent) {
                    world.codes.put(v.id(), world.engine.codeOf(v.id()));
                }
            }));
        }
    }

    static final class Cancel extends OnStarted {
        @Override
        Arbitrary<Transformer<World>> act(Started v, Tenant caller) {
            return Arbitraries.just(Transformer.mutate("cancel " + v.id() + " by " + caller, world -> {
                CancelResult result = world.engine.verifier.cancel(caller, v.id());
                if (!caller.equals(v.tenant())) {
                    assertThat(result).isInstanceOf(CancelResult.NotFound.class);
                }
            }));
        }
    }

    /**
     * A delivery worker claims the due emails; it either sends and records them, or dies holding
     * them, its lease run out at once by the database's clock, so that a later claim takes them
     * over. Whoever claims and
     * however late, only a pending, unexpired verification's current email may be handed out.
     */
    static final class Deliver implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.of("w1", "w2")
                    .flatMap(worker -> Arbitraries.of(true, false)
                            .map(dies ->
                                    Transformer.mutate(worker + (dies ? " claims and dies" : " delivers"), world -> {
                                        Instant now = world.now();
                                        Outbox outbox = world.engine.database.outbox();
                                        for (QueuedEmail email : outbox.claim(
                                                worker, 5, now, dies ? Duration.ZERO : Duration.ofMinutes(1))) {
                                            assertThat(world.engine.count(
                                                            """
                                                            SELECT COUNT(*) FROM verifications
                                                             WHERE id = ? AND status = 'pending' AND outbox_id = ? AND expires_at > ?
                                                            """,
                                                            email.verificationId()
                                                                    .value(),
                                                            email.id(),
                                                            now))
                                                    .as(
                                                            "%s handed out only while it carries the current code",
                                                            email.id())
                                                    .isEqualTo(1);
                                            if (!dies) {
                                                outbox.markSent(email, now, "250 OK");
                                            }
                                        }
                                    })));
        }
    }

    static final class Advance implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.of(
                            Duration.ofSeconds(31), Duration.ofMinutes(5), Duration.ofMinutes(21), Duration.ofHours(1))
                    .map(step -> Transformer.mutate("advance " + step, world -> world.engine.clock.advance(step)));
        }
    }
}
