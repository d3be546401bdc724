package io.otpgate.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI in a thread with its stdin, stdout and stderr on pipes, so a test can hold a
 * conversation with it: wait for a prompt, type a line, read the answer.
 */
final class Conversation implements AutoCloseable {

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final Screen out = new Screen();
    private final Screen err = new Screen();
    private final CompletableFuture<Integer> exit;
    private int read;

    Conversation(Map<String, String> env, Path workingDir, String... args) {
        PipedInputStream stdin;
        try {
            stdin = new PipedInputStream(keyboard, 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        exit = CompletableFuture.supplyAsync(() -> Main.execute(args, env, workingDir, stdin, stdout, stderr));
    }

    /** Waits until stdout shows {@code text} after what was already read; returns what came in between. */
    String await(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (out) {
            while (true) {
                String all = out.text();
                int at = all.indexOf(text, read);
                if (at >= 0) {
                    String seen = all.substring(read, at + text.length());
                    read = at + text.length();
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || exit.isDone() && out.text().indexOf(text, read) < 0) {
                    throw new AssertionError(
                            "never saw '" + text + "'; output so far:\n" + all + "\nstderr:\n" + err.text());
                }
                try {
                    out.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000L))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    void type(String line) {
        try {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes stdin (end of input) and waits for the exit status. */
    int exitCode() {
        try {
            keyboard.close();
            return exit.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(
                    "the command did not finish; output:\n" + out.text() + "\nstderr:\n" + err.text(), e);
        }
    }

    String stdout() {
        return out.text();
    }

    String stderr() {
        return err.text();
    }

    @Override
    public void close() {
        try {
            keyboard.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Collects output and wakes whoever waits for it. */
    private static final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
