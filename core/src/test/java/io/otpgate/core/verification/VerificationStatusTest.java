package io.otpgate.core.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerificationStatusTest {

    private static final Instant CREATED = Instant.parse("2025-01-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock(CREATED);

    @Test
    void pendingVerificationIsPendingBeforeItExpires() {
        Verification verification = created(Status.PENDING);

        clock.advance(TTL.minusMillis(1));

        assertThat(verification.statusAt(clock.instant())).isEqualTo(Status.PENDING);
    }

    @Test
    void pendingVerificationReadsAsExpiredAtItsExpiry() {
        Verification verification = created(Status.PENDING);

        clock.advance(TTL);

        assertThat(verification.statusAt(clock.instant())).isEqualTo(Status.EXPIRED);
    }

    @Test
    void pendingVerificationReadsAsExpiredLongAfterItsExpiry() {
        Verification verification = created(Status.PENDING);

        clock.advance(Duration.ofDays(30));

        assertThat(verification.at(clock.instant()).status()).isEqualTo(Status.EXPIRED);
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void terminalStatusNeverChangesAfterExpiry(Status terminal) {
        Verification verification = created(terminal);

        clock.advance(TTL.plusHours(1));

        assertThat(verification.statusAt(clock.instant())).isEqualTo(terminal);
    }

    @Test
    void expiredViewKeepsEverythingButTheStatus() {
        Verification verification = created(Status.PENDING);

        clock.advance(TTL);
        Verification seen = verification.at(clock.instant());

        assertThat(seen).usingRecursiveComparison().ignoringFields("status").isEqualTo(verification);
    }

    private Verification created(Status status) {
        Instant now = clock.instant();
        return new Verification(
                new VerificationId("ver_0123456789abcdefghjkmnpqrs"),
                EmailAddress.parse("ada@example.com").orElseThrow(),
                Optional.empty(),
                Purpose.VERIFY_EMAIL,
                Locale.ENGLISH,
                status,
                now,
                now.plus(TTL),
                0,
                3,
                1,
                5,
                now.plusSeconds(30),
                new Delivery(DeliveryStatus.QUEUED, 0, Optional.empty(), Optional.empty()),
                Tenant.DEFAULT,
                Optional.empty());
    }
}
