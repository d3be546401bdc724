package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.Validated;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MailFromTest {

    @Test
    void parsesANameAndAnAddress() {
        MailFrom from = MailFrom.parse("OTPGate <no-reply@localhost>").orElseThrow();

        assertThat(from).isEqualTo(MailFrom.DEFAULT);
        assertThat(from.domain()).isEqualTo("localhost");
        assertThat(from.toString()).isEqualTo("OTPGate <no-reply@localhost>");
    }

    @Test
    void parsesABareAddressAndAQuotedUnicodeName() {
        assertThat(MailFrom.parse("codes@acme.test").orElseThrow())
                .isEqualTo(new MailFrom(Optional.empty(), "codes@acme.test"));
        assertThat(MailFrom.parse("\"Acmé, Inc.\" <codes@acme.test>")
                        .orElseThrow()
                        .name())
                .contains("Acmé, Inc.");
    }

    @Test
    void refusesAnythingButOneAsciiAddress() {
        assertThat(MailFrom.parse("a@acme.test, b@acme.test")).isInstanceOf(Validated.Invalid.class);
        assertThat(MailFrom.parse("team: a@acme.test;")).isInstanceOf(Validated.Invalid.class);
        assertThat(MailFrom.parse("no-reply")).isInstanceOf(Validated.Invalid.class);
        assertThat(MailFrom.parse("OTPGate <no-reply@acme.test>\r\nBcc: x@evil.test"))
                .isInstanceOf(Validated.Invalid.class);
        assertThat(MailFrom.parse("no-reply@acmé.test")).isInstanceOf(Validated.Invalid.class);
        assertThat(MailFrom.parse("")).isInstanceOf(Validated.Invalid.class);
    }
}
