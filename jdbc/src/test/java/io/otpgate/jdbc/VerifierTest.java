package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CancelResult;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verification engine on a real database; run on each one by {@code VerifierOn…Test}. */
abstract class VerifierTest extends EngineTest {

    VerifierTest(DatabaseKind kind) {
        super(kind);
    }

    @Test
    void startStoresAPendingVerificationWithItsEmailQueued() {
        Verification v = engine.start("  Ada@Example.COM ");

        assertThat(v.email().value()).isEqualTo("Ada@example.com");
        assertThat(v.status()).isEqualTo(Status.PENDING);
        assertThat(v.attemptsRemaining()).isEqualTo(3);
        assertThat(v.sends()).isEqualTo(1);
        assertThat(v.sendsRemaining()).isEqualTo(4);
        assertThat(v.expiresAt()).isEqualTo(engine.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(engine.verifier.find(v.id()).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.QUEUED);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE verification_id = ?", v.id().value()))
                .isEqualTo(1);
    }

    @Test
    void rightCodeApprovesOnce() {
        Verification v = engine.start("ada@example.com");
        String code = engine.codeOf(v.id());

        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), code)).isInstanceOf(CheckResult.Approved.class);
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), code)).isInstanceOf(CheckResult.AlreadyApproved.class);
        assertThat(engine.verifier.find(v.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void wrongCodeUsesOneAttempt() {
        Verification v = engine.start("ada@example.com");

        CheckResult result = engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));

        assertThat(result).isInstanceOf(CheckResult.Incorrect.class);
        assertThat(((CheckResult.Incorrect) result).verification().attemptsRemaining())
                .isEqualTo(2);
    }

    @Test
    void lastWrongCodeExhaustsAndTheRightCodeIsRefusedAfterwards() {
        Verification v = engine.start("ada@example.com");
        String wrong = engine.wrongCodeFor(v.id());

        engine.verifier.check(Tenant.DEFAULT, v.id(), wrong);
        engine.verifier.check(Tenant.DEFAULT, v.id(), wrong);
        CheckResult third = engine.verifier.check(Tenant.DEFAULT, v.id(), wrong);
        CheckResult afterwards = engine.verifier.check(Tenant.DEFAULT, v.id(), engine.codeOf(v.id()));

        assertThat(third).isInstanceOf(CheckResult.Exhausted.class);
        assertThat(afterwards).isInstanceOf(CheckResult.Exhausted.class);
        assertThat(engine.verifier.find(v.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void malformedCodeIsExplainedAndCostsNoAttempt() {
        Verification v = engine.start("ada@example.com");

        CheckResult result = engine.verifier.check(Tenant.DEFAULT, v.id(), "12345");

        assertThat(result)
                .isInstanceOfSatisfying(
                        CheckResult.InvalidFormat.class,
                        r -> assertThat(r.reason()).contains("6 digits").contains("5"));
        assertThat(engine.verifier.find(v.id()).orElseThrow().attemptsRemaining())
                .isEqualTo(3);
    }

    @Test
    void codeWorksUntilJustBeforeExpiryAndNeverAfter() {
        Verification a = engine.start("ada@example.com");
        Verification b = engine.start("bob@example.com");
        engine.clock.advance(Duration.ofMinutes(10).minusNanos(1000));
        assertThat(engine.verifier.check(Tenant.DEFAULT, a.id(), engine.codeOf(a.id())))
                .isInstanceOf(CheckResult.Approved.class);

        engine.clock.advance(Duration.ofNanos(1000));
        CheckResult late = engine.verifier.check(Tenant.DEFAULT, b.id(), engine.codeOf(b.id()));

        assertThat(late).isInstanceOf(CheckResult.Expired.class);
        Verification stored = engine.verifier.find(b.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.EXPIRED);
        assertThat(stored.attemptsRemaining()).isEqualTo(3);
    }

    @Test
    void codeOfOneVerificationDoesNotOpenAnother() {
        Verification a = engine.start("ada@example.com");
        Verification b = engine.start("bob@example.com");
        String codeOfA = engine.codeOf(a.id());
        String codeOfB = engine.codeOf(b.id());
        org.junit.jupiter.api.Assumptions.assumeFalse(codeOfA.equals(codeOfB), "one in a million collision");

        assertThat(engine.verifier.check(Tenant.DEFAULT, b.id(), codeOfA)).isInstanceOf(CheckResult.Incorrect.class);
    }

    @Test
    void resendIssuesANewCodeAndTheOldOneStopsWorking() {
        Verification v = engine.start("ada@example.com");
        String first = engine.codeOf(v.id());
        engine.clock.advance(Duration.ofSeconds(30));

        ResendResult resent = engine.verifier.resend(Tenant.DEFAULT, v.id());
        String second = engine.codeOf(v.id());

        assertThat(resent).isInstanceOfSatisfying(ResendResult.Resent.class, r -> {
            assertThat(r.verification().sends()).isEqualTo(2);
            assertThat(r.verification().sendsRemaining()).isEqualTo(3);
        });
        org.junit.jupiter.api.Assumptions.assumeFalse(first.equals(second), "one in a million collision");
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), first)).isInstanceOf(CheckResult.Incorrect.class);
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), second)).isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void resendDoesNotResetAttempts() {
        Verification v = engine.start("ada@example.com");
        engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
        engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
        engine.clock.advance(Duration.ofSeconds(30));

        ResendResult resent = engine.verifier.resend(Tenant.DEFAULT, v.id());

        assertThat(((ResendResult.Resent) resent).verification().attemptsRemaining())
                .isEqualTo(1);
    }

    @Test
    void resendCancelsTheUnsentEmailOfTheOldCode() {
        Verification v = engine.start("ada@example.com");
        engine.clock.advance(Duration.ofSeconds(30));

        engine.verifier.resend(Tenant.DEFAULT, v.id());

        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'canceled' AND sealed_code IS NULL"))
                .isEqualTo(1);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'"))
                .isEqualTo(1);
    }

    @Test
    void resendBeforeTheCooldownSaysWhenItWillBeAllowed() {
        Verification v = engine.start("ada@example.com");
        engine.clock.advance(Duration.ofSeconds(10));

        ResendResult result = engine.verifier.resend(Tenant.DEFAULT, v.id());

        assertThat(result)
                .isInstanceOfSatisfying(
                        ResendResult.TooSoon.class,
                        r -> assertThat(r.retryAt()).isEqualTo(v.createdAt().plusSeconds(30)));
    }

    @Test
    void sendsStopAtMaxSends() {
        Verification v = engine.start("ada@example.com");
        for (int i = 0; i < 4; i++) {
            engine.clock.advance(Duration.ofSeconds(30));
            assertThat(engine.verifier.resend(Tenant.DEFAULT, v.id())).isInstanceOf(ResendResult.Resent.class);
        }
        engine.clock.advance(Duration.ofSeconds(30));

        assertThat(engine.verifier.resend(Tenant.DEFAULT, v.id())).isInstanceOf(ResendResult.MaxSendsReached.class);
    }

    @Test
    void restartingCancelsThePendingVerificationOfTheSameAddressAndPurpose() {
        Verification first = engine.start("ada@example.com");
        String firstCode = engine.codeOf(first.id());

        Verification second = engine.start("ada@example.com");

        assertThat(engine.verifier.find(first.id()).orElseThrow().status()).isEqualTo(Status.CANCELED);
        assertThat(engine.verifier.check(Tenant.DEFAULT, first.id(), firstCode))
                .isInstanceOf(CheckResult.Canceled.class);
        assertThat(engine.verifier.find(second.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void anotherPurposeDoesNotCancelThePendingOne() {
        Verification email = engine.start("ada@example.com");

        engine.verifier.start(StartRequest.of("ada@example.com").withPurpose("password_reset"));

        assertThat(engine.verifier.find(email.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void eleventhEmailToOneAddressWithinAnHourIsRateLimited() {
        for (int i = 0; i < 10; i++) {
            engine.start("ada@example.com");
        }

        StartResult eleventh = engine.verifier.start(StartRequest.of("ada@example.com"));

        assertThat(eleventh).isInstanceOfSatisfying(StartResult.RateLimited.class, r -> {
            assertThat(r.scope()).isEqualTo("recipient");
            assertThat(r.retryAt()).isEqualTo(engine.clock.instant().plus(Duration.ofHours(1)));
        });
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(10);
        engine.clock.advance(Duration.ofHours(1));
        assertThat(engine.verifier.start(StartRequest.of("ada@example.com"))).isInstanceOf(StartResult.Started.class);
    }

    @Test
    void consecutiveWrongChecksAcrossVerificationsLockTheAddress() {
        Policy policy = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 100, 5, Duration.ofHours(1));
        try (EngineFixture strict = new EngineFixture(kind.fresh(dir.resolve("strict")), policy)) {
            Verification first = strict.start("ada@example.com");
            for (int i = 0; i < 3; i++) {
                strict.verifier.check(Tenant.DEFAULT, first.id(), strict.wrongCodeFor(first.id()));
            }
            Verification second = strict.start("ada@example.com");
            strict.verifier.check(Tenant.DEFAULT, second.id(), strict.wrongCodeFor(second.id()));
            strict.verifier.check(Tenant.DEFAULT, second.id(), strict.wrongCodeFor(second.id()));

            assertThat(strict.verifier.check(Tenant.DEFAULT, second.id(), strict.codeOf(second.id())))
                    .isInstanceOf(CheckResult.RecipientLocked.class);
            assertThat(strict.verifier.start(StartRequest.of("ada@example.com")))
                    .isInstanceOf(StartResult.RecipientLocked.class);
            assertThat(strict.verifier.start(StartRequest.of("bob@example.com")))
                    .isInstanceOf(StartResult.Started.class);

            assertThat(strict.verifier.unlock(Tenant.DEFAULT, new EmailAddress("ada@example.com")))
                    .isTrue();
            assertThat(strict.verifier.check(Tenant.DEFAULT, second.id(), strict.codeOf(second.id())))
                    .isInstanceOf(CheckResult.Approved.class);
        }
    }

    @Test
    void aLockedAddressInABatchIsRefusedAloneAndCountsNothing() {
        Policy policy = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 100, 2, Duration.ofHours(1));
        try (EngineFixture strict = new EngineFixture(kind.fresh(dir.resolve("strict")), policy)) {
            Verification locked = strict.start("ada@example.com");
            strict.verifier.check(Tenant.DEFAULT, locked.id(), strict.wrongCodeFor(locked.id()));
            strict.verifier.check(Tenant.DEFAULT, locked.id(), strict.wrongCodeFor(locked.id()));
            int verificationsBefore = strict.count("SELECT COUNT(*) FROM verifications");

            java.util.List<StartResult> results = strict.verifier.startAll(java.util.List.of(
                    StartRequest.of("bob@example.com"),
                    StartRequest.of("ada@example.com"),
                    StartRequest.of("cy@example.com")));

            assertThat(results.get(0)).isInstanceOf(StartResult.Started.class);
            assertThat(results.get(1))
                    .isInstanceOfSatisfying(
                            StartResult.RecipientLocked.class,
                            r -> assertThat(r.until())
                                    .isEqualTo(strict.clock.instant().plus(Duration.ofHours(1))));
            assertThat(results.get(2)).isInstanceOf(StartResult.Started.class);
            assertThat(strict.count("SELECT COUNT(*) FROM verifications")).isEqualTo(verificationsBefore + 2);
        }
    }

    @Test
    void aLockedAddressStillReadsItsDecidedVerificationAsDecided() {
        Policy policy = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 100, 1, Duration.ofHours(1));
        try (EngineFixture strict = new EngineFixture(kind.fresh(dir.resolve("strict")), policy)) {
            Verification approved = strict.start("ada@example.com");
            String approvedCode = strict.codeOf(approved.id());
            strict.verifier.check(Tenant.DEFAULT, approved.id(), approvedCode);
            Verification second = strict.start("ada@example.com");
            strict.verifier.check(Tenant.DEFAULT, second.id(), strict.wrongCodeFor(second.id()));

            assertThat(strict.verifier.check(Tenant.DEFAULT, second.id(), strict.codeOf(second.id())))
                    .isInstanceOf(CheckResult.RecipientLocked.class);
            assertThat(strict.verifier.check(Tenant.DEFAULT, approved.id(), approvedCode))
                    .isInstanceOf(CheckResult.AlreadyApproved.class);
        }
    }

    @Test
    void successResetsTheAddressFailureCount() {
        Verification v = engine.start("ada@example.com");
        engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
        engine.verifier.check(Tenant.DEFAULT, v.id(), engine.codeOf(v.id()));

        assertThat(engine.count("SELECT COUNT(*) FROM mailbox_failures")).isZero();
    }

    @Test
    void checkByAddressUsesTheNewestPendingVerification() {
        engine.start("ada@example.com");
        Verification newest = engine.start("ada@example.com");

        CheckResult result = engine.verifier.check(
                Tenant.DEFAULT, "ADA@example.com".replace("ADA", "ada"), null, engine.codeOf(newest.id()));

        assertThat(result)
                .isInstanceOfSatisfying(
                        CheckResult.Approved.class,
                        r -> assertThat(r.verification().id()).isEqualTo(newest.id()));
        assertThat(engine.verifier.check(Tenant.DEFAULT, "nobody@example.com", null, "123456"))
                .isInstanceOf(CheckResult.NotFound.class);
    }

    @Test
    void cancelStopsTheCodeAndIsNotRepeatable() {
        Verification v = engine.start("ada@example.com");
        String code = engine.codeOf(v.id());

        assertThat(engine.verifier.cancel(Tenant.DEFAULT, v.id())).isInstanceOf(CancelResult.Canceled.class);
        assertThat(engine.verifier.cancel(Tenant.DEFAULT, v.id())).isInstanceOf(CancelResult.NotPending.class);
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), code)).isInstanceOf(CheckResult.Canceled.class);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE sealed_code IS NOT NULL"))
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ada@example.com\r\nBcc: eve@evil.test", "ada@example.com\nBcc:eve@evil.test", "ada\u0000@example.com",
                "ada@example.com\u2028", "ada\u0085@example.com", "ada@example.com, eve@evil.test",
                "<ada@example.com>eve@evil.test", "undisclosed:ada@example.com;", "Eve <eve@evil.test>",
                "ada@example", "a(comment)@example.com"
            })
    void headerInjectionIsRejectedBeforeAnyRowIsWritten(String hostile) {
        StartResult result = engine.verifier.start(StartRequest.of(hostile));

        assertThat(result).isInstanceOf(StartResult.InvalidEmail.class);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM outbox")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ada\r\nBcc: eve@evil.test", "Ada\n", "Ada\u0000", "Ada\u2028Lovelace", "Ada\u0085"})
    void controlCharactersInTheNameAreRejectedBeforeAnyRowIsWritten(String hostile) {
        StartResult result =
                engine.verifier.start(StartRequest.of("ada@example.com").withName(hostile));

        assertThat(result)
                .isInstanceOfSatisfying(
                        StartResult.InvalidField.class,
                        r -> assertThat(r.field()).isEqualTo("name"));
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isZero();
    }

    @Test
    void theDatabaseNeverHoldsTheCodeInTheClear() {
        Verification v = engine.start("ada@example.com");
        String code = engine.codeOf(v.id());

        byte[] hash =
                engine.query("SELECT code_hash FROM verifications WHERE id = ?", v.id().value(), rs -> rs.getBytes(1));
        byte[] sealed = engine.query(
                "SELECT sealed_code FROM outbox WHERE verification_id = ?", v.id().value(), rs -> rs.getBytes(1));

        assertThat(new String(hash, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(code);
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(code);
    }

    @Test
    void startAllJudgesEachRequestAloneAndKeepsTheOrderAcrossChunks() {
        java.util.List<StartRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 450; i++) {
            requests.add(StartRequest.of(i % 100 == 7 ? "broken" + i : "user" + i + "@example.com"));
        }
        for (int i = 0; i < 12; i++) {
            requests.add(StartRequest.of("same@example.com"));
        }

        java.util.List<StartResult> results = engine.verifier.startAll(requests);

        assertThat(results).hasSize(462);
        assertThat(results.get(7)).isInstanceOf(StartResult.InvalidEmail.class);
        assertThat(results.get(8))
                .isInstanceOfSatisfying(
                        StartResult.Started.class,
                        r -> assertThat(r.verification().email().value()).isEqualTo("user8@example.com"));
        assertThat(results.subList(450, 460)).allMatch(r -> r instanceof StartResult.Started);
        assertThat(results.subList(460, 462)).allMatch(r -> r instanceof StartResult.RateLimited);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(445 + 10);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE status = 'pending'"))
                .isEqualTo(445 + 1);
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM outbox WHERE recipient = 'same@example.com' AND status = 'queued'"))
                .as("only the last of the ten is still to be sent")
                .isEqualTo(1);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'canceled' AND sealed_code IS NULL"))
                .isEqualTo(9);
    }

    @Test
    void aStartInABatchReplacesOnlyThePendingVerificationOfItsOwnPurpose() {
        Verification reset = ((StartResult.Started)
                        engine.verifier.start(StartRequest.of("ada@example.com").withPurpose("password_reset")))
                .verification();
        Verification email = engine.start("ada@example.com");

        java.util.List<StartResult> results = engine.verifier.startAll(
                java.util.List.of(StartRequest.of("bob@example.com"), StartRequest.of("ada@example.com")));

        assertThat(results).allMatch(r -> r instanceof StartResult.Started);
        assertThat(engine.verifier.find(email.id()).orElseThrow().status()).isEqualTo(Status.CANCELED);
        assertThat(engine.verifier.find(reset.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM outbox WHERE verification_id = ? AND status = 'canceled'",
                        email.id().value()))
                .isEqualTo(1);
    }

    @Test
    void aFullLimitGivesBackWhatTheStartsOtherLimitsTook() {
        RateLimit perKey = new RateLimit("key", "k1", 100, Duration.ofHours(1));
        RateLimit perIp = new RateLimit("ip", "192.0.2.1", 1, Duration.ofHours(1));
        engine.verifier.start(StartRequest.of("ada@example.com").withLimits(java.util.List.of(perKey, perIp)));

        StartResult refused =
                engine.verifier.start(StartRequest.of("bob@example.com").withLimits(java.util.List.of(perKey, perIp)));

        assertThat(refused)
                .isInstanceOfSatisfying(
                        StartResult.RateLimited.class,
                        r -> assertThat(r.scope()).isEqualTo("ip"));
        assertThat(engine.count("SELECT hits FROM rate_buckets WHERE bucket = ?", perKey.bucket()))
                .as("the refused start counts against no limit")
                .isEqualTo(1);
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM rate_buckets WHERE bucket = ?", "recipient:default:bob@example.com"))
                .isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(1);
    }
}
