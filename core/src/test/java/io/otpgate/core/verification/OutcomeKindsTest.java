package io.otpgate.core.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each outcome's {@code kind()} is the one named after its record, and every kind has a record: a
 * record answering another's kind would send callers' switches down the wrong branch. The wire
 * names are the metrics labels, which were once made from the records' names.
 */
class OutcomeKindsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Verification V = new Verification(
            new VerificationId("ver_0123456789abcdefghjkmnpqrs"),
            EmailAddress.parse("ada@example.com").orElseThrow(),
            Optional.empty(),
            Purpose.VERIFY_EMAIL,
            Locale.ENGLISH,
            Status.PENDING,
            NOW,
            NOW.plusSeconds(600),
            0,
            3,
            1,
            5,
            NOW.plusSeconds(30),
            new Delivery(DeliveryStatus.QUEUED, 0, Optional.empty(), Optional.empty()),
            Tenant.DEFAULT,
            Optional.empty());

    @Test
    void everyCheckResultAnswersTheKindNamedAfterIt() {
        List<CheckResult> all = List.of(
                new CheckResult.Approved(V),
                new CheckResult.Incorrect(V),
                new CheckResult.Expired(V),
                new CheckResult.Exhausted(V),
                new CheckResult.AlreadyApproved(V),
                new CheckResult.Canceled(V),
                new CheckResult.InvalidFormat("too short"),
                new CheckResult.NotFound(),
                new CheckResult.RecipientLocked(NOW));

        assertNamedAfterTheirRecords(all, CheckResult::kind, CheckResult.Kind.values());
        assertThat(all)
                .allSatisfy(result -> assertThat(result.kind().wireName()).isEqualTo(snakeCase(result.getClass())));
        assertThat(new CheckResult.RecipientLocked(NOW).kind().wireName()).isEqualTo("recipient_locked");
    }

    @Test
    void everyStartResultAnswersTheKindNamedAfterIt() {
        List<StartResult> all = List.of(
                new StartResult.Started(V),
                new StartResult.Replayed(V),
                new StartResult.InvalidEmail("no @"),
                new StartResult.InvalidField("name", "too long"),
                new StartResult.RateLimited(RateLimit.IP, NOW),
                new StartResult.RecipientLocked(NOW),
                new StartResult.IdempotencyKeyReused());

        assertNamedAfterTheirRecords(all, StartResult::kind, StartResult.Kind.values());
        assertThat(all)
                .allSatisfy(result -> assertThat(result.kind().wireName()).isEqualTo(snakeCase(result.getClass())));
    }

    @Test
    void everyResendResultAnswersTheKindNamedAfterIt() {
        assertNamedAfterTheirRecords(
                List.of(
                        new ResendResult.Resent(V),
                        new ResendResult.TooSoon(V, NOW),
                        new ResendResult.MaxSendsReached(V),
                        new ResendResult.NotPending(V),
                        new ResendResult.NotFound(),
                        new ResendResult.RateLimited(RateLimit.RECIPIENT, NOW),
                        new ResendResult.RecipientLocked(NOW)),
                ResendResult::kind,
                ResendResult.Kind.values());
    }

    @Test
    void everyCancelResultAnswersTheKindNamedAfterIt() {
        assertNamedAfterTheirRecords(
                List.of(new CancelResult.Canceled(V), new CancelResult.NotPending(V), new CancelResult.NotFound()),
                CancelResult::kind,
                CancelResult.Kind.values());
    }

    private static <T, K extends Enum<K>> void assertNamedAfterTheirRecords(
            List<T> outcomes, Function<T, K> kind, K[] kinds) {
        assertThat(outcomes)
                .allSatisfy(outcome -> assertThat(kind.apply(outcome).name())
                        .isEqualTo(snakeCase(outcome.getClass()).toUpperCase(Locale.ROOT)));
        assertThat(outcomes.stream().map(kind)).containsExactlyInAnyOrder(kinds);
    }

    @Test
    void theListsAboveHoldEveryRecordOfEachOutcome() {
        assertThat(records(CheckResult.class)).hasSize(CheckResult.Kind.values().length);
        assertThat(records(StartResult.class)).hasSize(StartResult.Kind.values().length);
        assertThat(records(ResendResult.class)).hasSize(ResendResult.Kind.values().length);
        assertThat(records(CancelResult.class)).hasSize(CancelResult.Kind.values().length);
    }

    /** The records a sealed outcome permits, through sealed sub-interfaces such as {@code Decided}. */
    private static List<Class<?>> records(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(type -> type.isRecord() ? Stream.of(type) : records(type).stream())
                .toList();
    }

    /** {@code RecipientLocked} is {@code recipient_locked}. */
    private static String snakeCase(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
