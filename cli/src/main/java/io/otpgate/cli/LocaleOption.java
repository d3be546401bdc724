package io.otpgate.cli;

import picocli.CommandLine.Option;

/** {@code --locale}, for the commands that send or show a code email. */
final class LocaleOption {

    @Option(
            names = "--locale",
            paramLabel = "TAG",
            description = "Language of the email, such as en, fr or pt-BR (default: the configured default locale).")
    String value;
}
