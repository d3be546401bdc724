package io.otpgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The command's conversation with a person or a pipe: prompts and results on stdout, problems on
 * stderr, answers line by line from stdin. The same code serves a TTY and a pipe; only the
 * progress bar needs to know which.
 */
final class Terminal {

    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    Terminal(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** Prints the prompt and reads one line; empty at end of input. */
    Optional<String> ask(String prompt) {
        out.print(prompt);
        out.flush();
        try {
            String line = in.readLine();
            if (line == null || !interactive) {
                // A terminal echoes what was typed; for a pipe, echo it so the transcript reads the same.
                out.println(line == null ? "" : line);
            }
            return Optional.ofNullable(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void say(String line) {
        out.println(line);
        out.flush();
    }

    void warn(String line) {
        err.println(line);
        err.flush();
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** True on a TTY: progress bars and other redraws are for people, not for logs and pipes. */
    boolean interactive() {
        return interactive;
    }
}
