package io.otpgate.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

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
  public Integer call() throws InterruptedException {
    Terminal t = main.terminal;
    Logging.serviceDefaults();
    CountDownLatch stopped = new CountDownLatch(1);
    OtpGate app = main.open();
    // SIGTERM and Ctrl-C run shutdown hooks: stop claiming, finish the message in flight,
    // release the leases so another process can take the rest at once.
    Thread hook = new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "otpgate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    t.say("OTPGate " + Version.current() + " is running");
    t.say("  mail:     " + app.describeMail());
    t.say("  database: " + app.database().describe());
    t.say("  data dir: " + app.settings().dataDir());
    t.say("Delivering queued emails. Stop with Ctrl-C.");
    stopped.await();
    return 0;
  }
}
