package io.otpgate.core.verification;

import java.time.Duration;

/** Lock an address for {@code duration} after {@code limit} consecutive wrong checks. */
public record FailureLock(int limit, Duration duration) {}
