package io.otpgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
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
}
