package io.otpgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code otpgate serve} as a child JVM on this test's class path, with the given environment: the
 * address it printed once ready, every line it prints after that handed to a listener (its output
 * is always read, so a full pipe never stalls it), and a stop by signal.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("is ready in \\d+ ms at (http://\\S+)");

    private final Process process;
    private final Thread reader;
    private final String url;

    private ServeProcess(Process process, Thread reader, String url) {
        this.process = process;
        this.reader = reader;
        this.url = url;
    }

    /** Starts serve and waits (at most 90 s) until it says it is ready; stdout lines go to {@code lines}. */
    static ServeProcess start(Map<String, String> env, Consumer<String> lines) {
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve");
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            lines.accept(line);
                            Matcher m = READY.matcher(line);
                            if (m.find()) {
                                ready.complete(m.group(1));
                            }
                        }
                        ready.completeExceptionally(new IllegalStateException("serve ended before it was ready"));
                    } catch (IOException e) {
                        ready.completeExceptionally(e);
                    }
                },
                "serve-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServeProcess(process, reader, ready.get(90, TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("serve did not say it was ready: " + e, e);
        }
    }

    static ServeProcess start(Map<String, String> env) {
        return start(env, line -> {});
    }

    /** Such as {@code http://localhost:41234}. */
    String url() {
        return url;
    }

    int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    Process process() {
        return process;
    }

    /** Waits until serve has ended and every line it printed was handed over; true if it did in time. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(timeout.toMillis());
        return ended && !reader.isAlive();
    }

    /** SIGTERM, as an operator's stop, without closing our end of its output the way destroy() would. */
    void terminate() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                .start()
                .waitFor();
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}; true if it ended on the SIGTERM. */
    boolean stop(Duration grace) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        terminate();
        boolean ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return ended;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
