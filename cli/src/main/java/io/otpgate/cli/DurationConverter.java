package io.otpgate.cli;

import io.otpgate.core.policy.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option's duration, written as the settings write them ({@code 90s}, {@code 10m}, ISO-8601). */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            // DurationText says what it got and how to write one.
            throw new TypeConversionException(e.getMessage());
        }
    }
}
