package io.otpgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Log levels: quiet for one-shot commands (their output is the point), INFO for the service. */
final class Logging {

    private Logging() {}

    /** The service logs its events at INFO unless {@code OTPGATE_LOG_LEVEL} says otherwise. */
    static void serviceDefaults() {
        if (System.getenv("OTPGATE_LOG_LEVEL") == null) {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        }
    }

    /**
     * Writes out every line the asynchronous appender (logback.xml) still holds, then stops logging:
     * called once, just before the JVM exits, so the last access-log lines are not lost.
     */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
