package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeUtility;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodeMessageTest {

    @Test
    void choosesTheTransferEncodingJakartaMailWould() {
        String[] texts = {
            "",
            "Your code is 123456.",
            "Your code is 123456.\r\nZoë",
            "Ваш код 123456",
            "コード 123456 です",
            "tab\tand\nbare LF and a DEL \u007f",
            "a bell \u0007 in ASCII",
            "x".repeat(998),
            "x".repeat(999),
            "x".repeat(998) + "\r\n" + "y".repeat(998),
            "<p>Zoë</p>".repeat(200),
        };
        for (String text : texts) {
            for (String subtype : new String[] {"plain", "html"}) {
                DataHandler handler = new DataHandler(text, "text/" + subtype + "; charset=UTF-8");
                assertThat(CodeMessage.transferEncoding(text.getBytes(StandardCharsets.UTF_8)))
                        .as("%s", text.length() > 40 ? text.substring(0, 40) + "…" : text)
                        .isEqualTo(MimeUtility.getEncoding(handler));
            }
        }
    }

    @Test
    void namesItsStreamProviderSoJakartaMailNeedNotSearchForOneOnEveryPart() throws Exception {
        Class.forName(CodeMessage.class.getName(), true, CodeMessage.class.getClassLoader());

        String named = System.getProperty(CodeMessage.STREAM_PROVIDER);

        assertThat(named).isNotNull();
        assertThat(jakarta.mail.util.StreamProvider.class.isAssignableFrom(Class.forName(named)))
                .isTrue();
    }
}
