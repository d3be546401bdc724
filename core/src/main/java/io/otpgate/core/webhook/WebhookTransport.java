package io.otpgate.core.webhook;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/** Posts one signed message to an endpoint (a port; the server module's HTTP client implements it). */
public interface WebhookTransport {

    /** Posts {@code body} as JSON with these headers; never throws for what the endpoint does. */
    Outcome post(URI url, Map<String, String> headers, String body);

    /** What the endpoint did with one message. */
    sealed interface Outcome {
        Kind kind();

        /** A 2xx in time. */
        record Delivered(int status) implements Outcome {
            public Kind kind() {
                return Kind.DELIVERED;
            }
        }

        /** 410 Gone: the endpoint asks to receive nothing more. */
        record Gone() implements Outcome {
            public Kind kind() {
                return Kind.GONE;
            }
        }

        /**
         * Anything else: another status ({@code status} > 0), a timeout, a refused connection, a
         * redirect (never followed), a target that resolves to a private address ({@code status} 0).
         */
        record Failed(int status, String reason) implements Outcome {
            public Failed {
                Objects.requireNonNull(reason, "reason");
            }

            public Kind kind() {
                return Kind.FAILED;
            }
        }
    }

    enum Kind {
        DELIVERED,
        GONE,
        FAILED
    }
}
