package io.otpgate.cli;

import java.io.IOException;
import java.time.Duration;

/**
 * A child JVM that runs one dispatcher on a shared database until it is killed, for
 * {@link MultiInstanceDeliveryTest}. Arguments: url user password smtpPort instanceId leaseMillis
 * workers batchSize delayBeforeMillis delayAfterMillis. It prints {@code started} once its workers
 * run, and exits by itself if its parent goes away (stdin reaches end of file).
 */
public final class DispatcherProcess {

    private DispatcherProcess() {}

    public static void main(String[] args) throws Exception {
        DispatcherInstance.quietLogs();
        DispatcherInstance.Settings settings = new DispatcherInstance.Settings(
                Integer.parseInt(args[6]),
                Integer.parseInt(args[7]),
                Duration.ofMillis(Long.parseLong(args[5])),
                Duration.ofMillis(Long.parseLong(args[8])),
                Duration.ofMillis(Long.parseLong(args[9])));
        DispatcherInstance instance = DispatcherInstance.open(
                args[0], args[1], args[2].equals("-") ? "" : args[2], Integer.parseInt(args[3]), args[4], settings);
        instance.start();
        System.out.println("started");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // The parent never writes; end of file means it is gone.
            }
        } catch (IOException e) {
            // The same: nobody is listening any more.
        }
        Runtime.getRuntime().halt(3);
    }
}
