package io.otpgate.core.delivery;

import java.util.Objects;

/** What the mail server said to one message. */
public sealed interface SendOutcome {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        ACCEPTED,
        TRANSIENT,
        MISCONFIGURED,
        PERMANENT
    }

    Kind kind();

    /** Human-readable reply or error, for the outbox row and the operator. */
    String reply();

    /** 2xx after DATA: the server took responsibility for the message (RFC 5321 §6.1). */
    record Accepted(String reply) implements SendOutcome {
        @Override
        public Kind kind() {
            return Kind.ACCEPTED;
        }

        public Accepted {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** 4xx, a timeout or a broken connection: worth another try later. */
    record Transient(String reply) implements SendOutcome {
        @Override
        public Kind kind() {
            return Kind.TRANSIENT;
        }

        public Transient {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * The server cannot do what the settings require: no STARTTLS when it is required, a certificate
     * not trusted, AUTH refused. Every email would fail the same way, and retrying a wrong password
     * can lock the account, so it is final; {@code setting} names what the operator must change.
     */
    record Misconfigured(String reply, String setting) implements SendOutcome {
        @Override
        public Kind kind() {
            return Kind.MISCONFIGURED;
        }

        public Misconfigured {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(setting, "setting");
        }
    }

    /** 5xx or a message the server will never take: retrying would only repeat the answer. */
    record Permanent(String reply) implements SendOutcome {
        @Override
        public Kind kind() {
            return Kind.PERMANENT;
        }

        public Permanent {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
