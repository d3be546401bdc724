package io.otpgate.core.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.Validated;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The four periods by their wire names, and the whole hours each covers. */
class PeriodTest {

    private static final Instant NOW = Instant.parse("2026-03-10T10:20:00Z");

    @Test
    void theFourWireNamesAndNothingElseAreAccepted() {
        assertThat(Period.parse("1h").orElseThrow()).isEqualTo(Period.HOUR);
        assertThat(Period.parse("24h").orElseThrow()).isEqualTo(Period.DAY);
        assertThat(Period.parse("7d").orElseThrow()).isEqualTo(Period.WEEK);
        assertThat(Period.parse("30d").orElseThrow()).isEqualTo(Period.MONTH);
        for (String bad : new String[] {"", "1H", "2h", " 1h", "1d", "30"}) {
            assertThat(Period.parse(bad))
                    .isInstanceOfSatisfying(
                            Validated.Invalid.class, i -> assertThat(i.reason()).contains("1h, 24h, 7d, 30d"));
        }
    }

    @Test
    void aPeriodCoversTheWholeHoursItTouchesUpToTheEndOfTheCurrentOne() {
        assertThat(Period.HOUR.from(NOW)).isEqualTo(Instant.parse("2026-03-10T09:00:00Z"));
        assertThat(Period.MONTH.from(NOW)).isEqualTo(Instant.parse("2026-02-08T10:00:00Z"));
        assertThat(Period.until(NOW)).isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));
    }
}
