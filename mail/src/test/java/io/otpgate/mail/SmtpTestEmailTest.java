package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.EmailAddress;
import org.junit.jupiter.api.Test;

class SmtpTestEmailTest {

    private static final EmailAddress TO = EmailAddress.parse("ops@example.com").orElseThrow();

    @Test
    void aBrandWithMarkupIsTextInTheHtml() {
        OutgoingEmail email = SmtpTestEmail.to(TO, "Tom & Jerry <b onclick=\"x\">");

        assertThat(email.html())
                .contains("Tom &amp; Jerry &lt;b onclick&#x3D;&quot;x&quot;&gt;")
                .doesNotContain("<b ");
        assertThat(email.text()).contains("Tom & Jerry <b onclick=\"x\">");
        assertThat(email.subject()).isEqualTo("Tom & Jerry <b onclick=\"x\"> SMTP test");
    }

    @Test
    void eachTestEmailHasItsOwnMessageId() {
        assertThat(SmtpTestEmail.to(TO, "OTPGate").messageId())
                .startsWith("<smtp-test-")
                .endsWith("@otpgate.invalid>")
                .isNotEqualTo(SmtpTestEmail.to(TO, "OTPGate").messageId());
    }
}
