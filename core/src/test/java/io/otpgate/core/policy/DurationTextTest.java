package io.otpgate.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    static Stream<Arguments> writtenDurations() {
        return Stream.of(
                Arguments.of("90s", Duration.ofSeconds(90)),
                Arguments.of("10m", Duration.ofMinutes(10)),
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("2d", Duration.ofDays(2)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("PT10M", Duration.ofMinutes(10)),
                Arguments.of("PT1H30M", Duration.ofMinutes(90)),
                Arguments.of("pt10m", Duration.ofMinutes(10)),
                Arguments.of("10M", Duration.ofMinutes(10)),
                Arguments.of(" 10 m ", Duration.ofMinutes(10)),
                Arguments.of("0s", Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenDurations")
    void operatorSpellingsAreRead(String text, Duration expected) {
        assertThat(DurationText.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten minutes", "10 minutes", "10x", "1.5h", "-5m", "m10", "10mm", "PT"})
    void garbageIsRefusedWithTheAcceptedForms(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DurationText.parse(text))
                .withMessageContaining("'" + text + "'")
                .withMessageContaining("90s")
                .withMessageContaining("PT10M");
    }

    @ParameterizedTest
    @ValueSource(strings = {"90s", "10m", "1h", "2d", "500ms", "0s", "1500ms", "25h", "59m"})
    void shortFormRoundTripsThroughFormat(String text) {
        assertThat(DurationText.format(DurationText.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 59, 60, 61, 3_599, 3_600, 3_601, 86_400, 90_000, 172_800})
    void formattedDurationParsesBackToItself(long seconds) {
        Duration duration = Duration.ofSeconds(seconds);

        assertThat(DurationText.parse(DurationText.format(duration))).isEqualTo(duration);
    }

    @Test
    void formatPicksTheShortestExactUnit() {
        assertThat(DurationText.format(Duration.parse("PT10M"))).isEqualTo("10m");
    }
}
