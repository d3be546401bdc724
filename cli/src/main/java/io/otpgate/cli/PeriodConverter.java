package io.otpgate.cli;

import io.otpgate.core.analytics.Period;

/** Reads {@code --since 1h|24h|7d|30d}, refusing anything else with the values allowed. */
final class PeriodConverter extends ValidatedConverter<Period> {
    PeriodConverter() {
        super(Period::parse);
    }
}
