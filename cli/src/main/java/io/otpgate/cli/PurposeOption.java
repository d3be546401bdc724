package io.otpgate.cli;

import picocli.CommandLine.Option;

/** {@code --purpose}, for the commands that send or show a code email. */
final class PurposeOption {

    @Option(
            names = "--purpose",
            paramLabel = "PURPOSE",
            defaultValue = "verify_email",
            description = "What the code is for (default: ${DEFAULT-VALUE}).")
    String value;
}
