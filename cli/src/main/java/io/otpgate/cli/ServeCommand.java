package io.otpgate.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * Runs OTPGate as a long-lived process. Today that is the delivery worker: it sends every email
 * queued in the database (by {@code otpgate send --no-wait}, by other processes) until it is
 * stopped; the HTTP API joins it here.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the service: deliver queued emails until stopped (Ctrl-C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Override
  public Integer call() throws Exception {
    Terminal t = main.terminal;
    Logging.serviceDefaults();
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM and Ctrl-C are handled here rather than in a shutdown hook: hooks run in no set
    // order, and H2's own hook would close the database before the outbox leases are released.
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    try (OtpGate app = main.open(); AutoCloseable printing = DevMailboxPrinter.attach(app, t)) {
      t.say("OTPGate " + Version.current() + " is running");
      t.say("  mail:     " + app.describeMail());
      t.say("  database: " + app.database().describe());
      t.say("  data dir: " + app.settings().dataDir());
      t.say(app.devMailbox().isPresent()
          ? "Delivering queued emails; captured emails are printed here. Stop with Ctrl-C."
          : "Delivering queued emails. Stop with Ctrl-C.");
      stop.await();
      t.say("Stopping: finishing the email in flight and releasing the rest ...");
    }
    return 0;
  }
}
