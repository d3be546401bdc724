package io.otpgate.cli;

import io.otpgate.core.Validated;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an argument with one of core's parsers, so that picocli refuses a malformed value as a
 * usage error with the rule it broke, before the command opens anything.
 */
abstract class ValidatedConverter<T> implements ITypeConverter<T> {

    private final Function<String, Validated<T>> parser;

    ValidatedConverter(Function<String, Validated<T>> parser) {
        this.parser = parser;
    }

    @Override
    public T convert(String value) {
        Validated<T> parsed = parser.apply(value);
        if (parsed instanceof Validated.Invalid<T> invalid) {
            throw new TypeConversionException(invalid.reason());
        }
        return parsed.orElseThrow();
    }
}
