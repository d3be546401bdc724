package io.otpgate.cli;

import io.otpgate.cli.config.ConfigurationException;
import io.otpgate.core.retention.ExpirySweeper;
import io.otpgate.core.retention.Purger;
import io.otpgate.server.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * The service: the HTTP API, delivery of every email queued in the database (by the API, by
 * {@code otpgate send --no-wait}, by other processes), and the hourly purge of old data, until
 * SIGTERM or Ctrl-C.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the service: the HTTP API and email delivery, until stopped (Ctrl-C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Terminal t = main.terminal;
        Logging.serviceDefaults();
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM and Ctrl-C are handled here rather than in a shutdown hook: hooks run in no set
        // order, and one that closed the database would do so under requests still in flight.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        // Closed in reverse order: HTTP stops first and lets requests finish, then the purge finishes
        // its chunk, then delivery finishes the email in flight and releases its leases, then the
        // database closes.
        // Delivery starts once HTTP is bound, so that emails link to the port it got (OTPGATE_PORT=0).
        try (OtpGate app = main.openWithoutDelivery();
                Purger purger = app.purger().start();
                ExpirySweeper sweeper = app.expirySweeper().start();
                AutoCloseable printing = DevMailboxPrinter.attach(app, t);
                HttpServer http = listen(app)) {
            app.deliverWithConfirmLinks(http.port());
            banner(t, app, http);
            markReadyForClassData();
            stop.await();
            t.say("Stopping: finishing requests and emails in flight ...");
        }
        t.say("Stopped.");
        return 0;
    }

    /** Starts HTTP; an address that cannot be bound is a configuration problem naming the settings. */
    private static HttpServer listen(OtpGate app) {
        String host = app.settings().server().host();
        int port = app.settings().server().port();
        // Tried first on a plain socket, so that a port in use is this one line rather than Jetty's
        // error log and then this line; Jetty binds with SO_REUSEADDR right after.
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw cannotListen(host, port, e);
        }
        try {
            return app.httpServer().start();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bind) {
                    throw cannotListen(host, port, bind);
                }
            }
            throw e;
        }
    }

    private static ConfigurationException cannotListen(String host, int port, IOException e) {
        return new ConfigurationException(List.of("OTPGATE_PORT/OTPGATE_HOST: cannot listen on " + host + ":" + port
                + " (" + e.getMessage() + (e instanceof BindException ? "; is another server using the port?)" : ")")));
    }

    /**
     * Tells the launcher that the class-data archive this JVM writes at exit comes from a serve that
     * started: it adopts no other (see the otpgate script). A failed start never gets here.
     */
    private static void markReadyForClassData() {
        String marker = System.getProperty("otpgate.cds.ready");
        if (marker == null) {
            return;
        }
        try {
            Files.writeString(Path.of(marker), "");
        } catch (IOException e) {
            // Without the mark the archive is not adopted, and the next serve writes another: harmless.
        }
    }

    private static void banner(Terminal t, OtpGate app, HttpServer http) {
        // The key exists before "is ready" is printed: scripts wait for that line, then read the key.
        String apiKey = ApiKeyBanner.describe(app);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        String host = app.settings().server().host();
        String shown = host.equals("0.0.0.0") || host.equals("::") || host.equals("127.0.0.1") ? "localhost" : host;
        t.say("OTPGate " + Version.current() + " is ready in " + uptime + " ms at http://" + shown + ":" + http.port());
        t.say("  mail:     " + app.describeMail());
        t.say("  database: " + app.database().describe());
        t.say("  api key:  " + apiKey);
        if (app.devMailbox().isPresent()) {
            t.say("  DEV MODE: emails are captured, not sent; see http://" + shown + ":" + http.port()
                    + "/dev/mailbox");
        }
        t.say("Stop with Ctrl-C.");
    }
}
