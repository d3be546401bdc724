package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-address guards attacked one step off the happy path: another letter case of the address,
 * another tenant, the hosted pages. Run on each database by {@code TenantsAndMailboxesOn…Test}.
 */
abstract class TenantsAndMailboxesTest extends EngineTest {

    private static final Tenant ACME = new Tenant("acme");
    private static final Tenant GLOBEX = new Tenant("globex");

    TenantsAndMailboxesTest(DatabaseKind kind) {
        super(kind);
    }

    private StartResult start(String email, Tenant tenant) {
        return engine.verifier.start(StartRequest.of(email).withTenant(tenant));
    }

    private Verification started(String email, Tenant tenant) {
        StartResult result = start(email, tenant);
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).verification();
    }

    @Test
    void afterTenStartsEveryLetterCaseOfTheAddressIsRefused() {
        for (int i = 0; i < 10; i++) {
            started("casea@example.com", Tenant.DEFAULT);
        }

        for (String variant : List.of("casea@example.com", "CaseA@example.com", "CASEA@EXAMPLE.COM")) {
            assertThat(start(variant, Tenant.DEFAULT))
                    .as(variant)
                    .isInstanceOfSatisfying(
                            StartResult.RateLimited.class,
                            r -> assertThat(r.scope()).isEqualTo(RateLimit.RECIPIENT));
        }
        // A decomposed accent makes another spelling only outside ASCII, which addresses may not use yet:
        // refused before anything is counted (MailboxKeyTest shows NFC folds it onto one key).
        assertThat(start("casea\u0301@example.com", Tenant.DEFAULT)).isInstanceOf(StartResult.InvalidEmail.class);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(10);
    }

    @Test
    void twentyWrongCodesAcrossLetterCasesLockTheMailbox() {
        String[] variants = {"ada@example.com", "Ada@example.com", "ADA@example.com", "aDa@example.com"};
        int wrong = 0;
        for (int i = 0; wrong < 20; i++) {
            Verification v = started(variants[i % variants.length], Tenant.DEFAULT);
            for (int k = 0; k < 3 && wrong < 20; k++, wrong++) {
                engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
            }
        }

        assertThat(start("AdA@example.com", Tenant.DEFAULT)).isInstanceOf(StartResult.RecipientLocked.class);
        assertThat(engine.verifier.unlock(Tenant.DEFAULT, new EmailAddress("ADA@example.com")))
                .as("unlock in any case finds the lock")
                .isTrue();
        assertThat(start("ada@example.com", Tenant.DEFAULT)).isInstanceOf(StartResult.Started.class);
    }

    @Test
    void aLockInOneTenantLeavesAnotherTenantsUsersAlone() {
        for (int i = 0; i < 7; i++) {
            Verification v = started("ada@example.com", ACME);
            for (int k = 0; k < 3; k++) {
                engine.verifier.check(ACME, v.id(), engine.wrongCodeFor(v.id()));
            }
        }

        assertThat(start("ada@example.com", ACME)).isInstanceOf(StartResult.RecipientLocked.class);
        Verification mine = started("Ada@example.com", Tenant.DEFAULT);
        assertThat(engine.verifier.check(Tenant.DEFAULT, mine.id(), engine.codeOf(mine.id())))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void aRestartInAnotherLetterCaseCancelsTheOlderVerification() {
        Verification older = started("ada@example.com", Tenant.DEFAULT);
        String olderCode = engine.codeOf(older.id());

        Verification newer = started("ADA@Example.com", Tenant.DEFAULT);

        assertThat(engine.verifier.find(older.id()).orElseThrow().status()).isEqualTo(Status.CANCELED);
        assertThat(engine.verifier.check(Tenant.DEFAULT, older.id(), olderCode))
                .isInstanceOf(CheckResult.Canceled.class);
        assertThat(engine.verifier.find(newer.id()).orElseThrow().email().value())
                .as("the email still goes to the address as typed")
                .isEqualTo("ADA@example.com");
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE status = 'pending'"))
                .isEqualTo(1);
    }

    @Test
    void aRestartWithinOneBatchLeavesOnlyTheLastPending() {
        List<StartResult> results = engine.verifier.startAll(List.of(
                StartRequest.of("ada@example.com"),
                StartRequest.of("Ada@example.com"),
                StartRequest.of("ADA@example.com")));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(StartResult.Started.class));
        Verification last = ((StartResult.Started) results.get(2)).verification();
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE status = 'pending'"))
                .isEqualTo(1);
        assertThat(engine.verifier.find(last.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void checkByEmailInAnotherLetterCaseFindsThePendingVerification() {
        Verification v = started("Ada@example.com", Tenant.DEFAULT);

        CheckResult result = engine.verifier.check(Tenant.DEFAULT, "aDA@EXAMPLE.com", null, engine.codeOf(v.id()));

        assertThat(result)
                .isInstanceOfSatisfying(
                        CheckResult.Approved.class,
                        r -> assertThat(r.verification().id()).isEqualTo(v.id()));
    }

    @Test
    void anotherTenantCannotReadCheckResendCancelOrCheckByEmail() {
        Verification v = started("ada@example.com", Tenant.DEFAULT);
        String code = engine.codeOf(v.id());
        engine.clock.advance(Duration.ofMinutes(1));

        assertThat(engine.verifier.find(ACME, v.id())).isEmpty();
        assertThat(engine.verifier.check(ACME, v.id(), code)).isInstanceOf(CheckResult.NotFound.class);
        assertThat(engine.verifier.check(ACME, "ada@example.com", null, code)).isInstanceOf(CheckResult.NotFound.class);
        assertThat(engine.verifier.resend(ACME, v.id())).isInstanceOf(ResendResult.NotFound.class);
        assertThat(engine.verifier.cancel(ACME, v.id())).isInstanceOf(CancelResult.NotFound.class);

        Verification untouched = engine.verifier.find(Tenant.DEFAULT, v.id()).orElseThrow();
        assertThat(untouched.status()).isEqualTo(Status.PENDING);
        assertThat(untouched.attemptsRemaining()).as("no attempt spent").isEqualTo(3);
        assertThat(untouched.sends()).as("nothing resent").isEqualTo(1);
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), code)).isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void anotherTenantsStartNeverCancelsThePendingVerification() {
        Verification mine = started("ada@example.com", Tenant.DEFAULT);

        started("Ada@example.com", ACME);
        started("ada@example.com", Tenant.PAGES);

        assertThat(engine.verifier.find(mine.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(engine.verifier.check(Tenant.DEFAULT, mine.id(), engine.codeOf(mine.id())))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void pagesStartsSpendOnlyThePagesBudget() {
        Verification api = started("ada@example.com", Tenant.DEFAULT);
        for (int i = 0; i < 3; i++) {
            started("Ada@example.com", Tenant.PAGES);
        }

        assertThat(start("ada@example.com", Tenant.PAGES))
                .as("the pages' own budget of 3")
                .isInstanceOf(StartResult.RateLimited.class);
        assertThat(engine.verifier.find(api.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
        for (int i = 0; i < 9; i++) {
            started("ada@example.com", Tenant.DEFAULT);
        }
        assertThat(start("ada@example.com", Tenant.DEFAULT)).isInstanceOf(StartResult.RateLimited.class);
    }

    @Test
    void theAllTenantCeilingHoldsAcrossTenantsAndPlusTags() {
        for (int i = 0; i < 10; i++) {
            started("ada@example.com", Tenant.DEFAULT);
            started("ada+" + i + "@example.com", ACME);
        }

        assertThat(start("ADA+new@example.com", GLOBEX))
                .isInstanceOfSatisfying(
                        StartResult.RateLimited.class,
                        r -> assertThat(r.scope()).isEqualTo(RateLimit.RECIPIENT_CEILING));
        assertThat(engine.count("SELECT COUNT(*) FROM rate_buckets WHERE bucket LIKE 'recipient:globex:%'"))
                .as("the refused start charged globex's budget nothing")
                .isZero();
    }

    @Test
    void aRefusedLimitChargesNoneOfTheOthers() {
        RateLimit perIp = new RateLimit("ip", "203.0.113.9", 30, Duration.ofMinutes(10));
        RateLimit perKey = new RateLimit("key", "key_a", 30, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            started("bob@example.com", Tenant.DEFAULT);
        }

        StartResult refused =
                engine.verifier.start(StartRequest.of("Bob@example.com").withLimits(List.of(perIp, perKey)));

        assertThat(refused)
                .isInstanceOfSatisfying(
                        StartResult.RateLimited.class,
                        r -> assertThat(r.scope()).isEqualTo(RateLimit.RECIPIENT));
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM rate_buckets WHERE bucket = ? OR bucket LIKE 'key:%'", perIp.bucket()))
                .isZero();
        assertThat(engine.count("SELECT hits FROM rate_buckets WHERE bucket = ?", "recipient_all:bob@example.com"))
                .as("the ceiling, counted after the refused tenant budget, is not charged")
                .isEqualTo(10);
        assertThat(engine.verifier.start(StartRequest.of("carol@example.com").withLimits(List.of(perIp, perKey))))
                .isInstanceOf(StartResult.Started.class);
        assertThat(engine.count("SELECT hits FROM rate_buckets WHERE bucket = ?", perIp.bucket()))
                .isEqualTo(1);
    }

    @Test
    void theCeilingRefusingChargesNeitherTheTenantBudgetNorTheCallersLimits() {
        Policy policy = Policy.defaults().withRecipientBudgets(3, 2);
        try (EngineFixture strict = new EngineFixture(kind.fresh(dir.resolve("strict")), policy)) {
            RateLimit perIp = new RateLimit("ip", "198.51.100.7", 30, Duration.ofMinutes(10));
            strict.verifier.start(StartRequest.of("eve@example.com").withTenant(ACME));
            strict.verifier.start(StartRequest.of("eve@example.com").withTenant(GLOBEX));

            StartResult refused =
                    strict.verifier.start(StartRequest.of("EVE@example.com").withLimits(List.of(perIp)));

            assertThat(refused)
                    .isInstanceOfSatisfying(
                            StartResult.RateLimited.class,
                            r -> assertThat(r.scope()).isEqualTo(RateLimit.RECIPIENT_CEILING));
            assertThat(strict.count("SELECT COUNT(*) FROM rate_buckets WHERE bucket = ?", perIp.bucket()))
                    .isZero();
            assertThat(strict.count(
                            "SELECT COUNT(*) FROM rate_buckets WHERE bucket = ?", "recipient:default:eve@example.com"))
                    .isZero();
        }
    }
}
