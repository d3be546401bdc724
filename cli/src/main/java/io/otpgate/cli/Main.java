package io.otpgate.cli;

import io.otpgate.cli.config.ConfigurationException;
import io.otpgate.cli.config.SettingNames;
import io.otpgate.cli.config.Settings;
import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.StoreUnavailableException;
import io.otpgate.server.HttpWebhookTransport;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code otpgate} command. */
@Command(
        name = "otpgate",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Proves that a person controls an email address: sends a one-time code and checks it.",
        subcommands = {
            ServeCommand.class,
            VerifyCommand.class,
            SendCommand.class,
            StatusCommand.class,
            CancelCommand.class,
            UnlockCommand.class,
            SmtpTestCommand.class,
            TemplateCommand.class,
            KeysCommand.class,
            WebhooksCommand.class,
            StatsCommand.class,
            BackupCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Exit status for a usage or configuration error (picocli's convention for usage errors). */
    static final int USAGE = 2;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            scope = CommandLine.ScopeType.INHERIT,
            description = "YAML configuration file (default: otpgate.yml in the working directory, if present). "
                    + "OTPGATE_* environment variables override it.")
    Path configFile;

    @Option(
            names = "--init",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Start with a new, empty embedded database although the data dir still holds the"
                    + " secret or API key of a lost one (the old api-key file is removed).")
    boolean init;

    private final Map<String, String> env;
    private final Path workingDir;
    final Terminal terminal;

    Main(Map<String, String> env, Path workingDir, Terminal terminal) {
        this.env = env;
        this.workingDir = workingDir;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        // Before anything loads HttpClient: webhooks over http keep the URL's host in the Host header.
        HttpWebhookTransport.allowHostHeader();
        Terminal terminal = new Terminal(System.in, System.out, System.err, System.console() != null);
        int status = execute(args, System.getenv(), Path.of("").toAbsolutePath(), terminal);
        Logging.flush();
        System.exit(status);
    }

    /** Runs one command line; the seam tests use to drive the CLI through its real streams. */
    static int execute(String[] args, Map<String, String> env, Path workingDir, Terminal terminal) {
        CommandLine commandLine = new CommandLine(new Main(env, workingDir, terminal));
        commandLine
                .getSubcommands()
                .get("serve")
                .getCommandSpec()
                .usageMessage()
                .footerHeading("%nSettings (environment, or in the YAML file in lower case without OTPGATE_;"
                        + " README.md, Configuration, says what each means):%n")
                .footer(SettingsLoader.describe().stream()
                        .map(line -> "  " + line)
                        .toArray(String[]::new));
        commandLine.setOut(new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8));
        // Every start-up problem is one line per cause, naming the setting: an operator reads the
        // cause, not a stack trace.
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigurationException configuration) {
                configuration.problems().forEach(problem -> terminal.warn("otpgate: " + problem));
                return USAGE;
            }
            if (e instanceof StoreUnavailableException unavailable) {
                // Another process held the file past the busy timeout, the disk is full, or the
                // server is down: said in one line, and worth running again.
                terminal.warn("otpgate: " + unavailable.getMessage() + "; try again shortly");
                return 1;
            }
            throw e;
        });
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            // A malformed argument (not an option) is told by the rule it broke, which names what it
            // must be: "not a verification id (ver_ followed by 26 characters)".
            if (e.getCause() instanceof CommandLine.TypeConversionException conversion
                    && e.getArgSpec() instanceof CommandLine.Model.PositionalParamSpec) {
                terminal.warn("otpgate: " + conversion.getMessage());
                return USAGE;
            }
            String suggestion = e instanceof CommandLine.UnmatchedArgumentException unmatched
                    ? unmatched.getUnmatched().stream()
                            .findFirst()
                            .flatMap(word -> SettingNames.closest(
                                    word, e.getCommandLine().getSubcommands().keySet()))
                            .map(command -> "; did you mean " + command + "?")
                            .orElse("")
                    : "";
            terminal.warn("otpgate: " + e.getMessage() + suggestion + " (see: "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        return commandLine.execute(args);
    }

    static int execute(
            String[] args, Map<String, String> env, Path workingDir, InputStream in, PrintStream out, PrintStream err) {
        return execute(args, env, workingDir, new Terminal(in, out, err, false));
    }

    /** A path given on the command line, relative to the working directory. */
    Path resolve(Path path) {
        return workingDir.resolve(path);
    }

    /** Reads and validates the configuration. */
    Settings settings() {
        return SettingsLoader.load(env, Optional.ofNullable(configFile).map(workingDir::resolve), workingDir);
    }

    /** Reads the configuration and wires the application on it, delivering emails. */
    OtpGate open() {
        return OtpGate.open(settings(), true, init);
    }

    /** As {@link #open()}, for commands that only read or change state and send nothing. */
    OtpGate openWithoutDelivery() {
        return OtpGate.open(settings(), false, init);
    }

    @Override
    public void run() {
        CommandLine.usage(this, terminal.out());
    }
}
