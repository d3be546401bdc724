package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.id.VerificationId;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Localised emails end to end: from a CSV row's locale, through the outbox, to a real SMTP server. */
class LocalisedEmailDeliveryTest {

    private static final Pattern LINK =
            Pattern.compile("https://verify\\.example\\.test/confirm/(ver_[0-9a-z]{26})/([A-Za-z0-9_-]+)");

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    @Test
    void aFrenchVerificationSendsAFrenchMultipartEmail() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "email,name,locale\nzoe@example.com,Zoë,fr-FR\n");

        Conversation cli = new Conversation(env(), dir, "send", "--csv", "users.csv");

        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertThat(message.getSubject()).matches("\\d{6} est votre code de vérification OTPGate");
        MimeMultipart alternative = (MimeMultipart) message.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        String text = part(alternative, "text/plain");
        String html = part(alternative, "text/html");
        assertThat(text)
                .startsWith("Bonjour Zoë,")
                .contains("Ce code expire dans 10 minutes.")
                .contains("Ne communiquez ce code à personne.")
                .doesNotContain("/confirm/");
        assertThat(html)
                .contains("<html lang=\"fr\" dir=\"ltr\">", "Bonjour Zoë,")
                .doesNotContain("href");
    }

    @Test
    void withAPublicUrlTheLinkOpensWithTheApplicationsTokens() throws Exception {
        Map<String, String> env = env();
        env.put("OTPGATE_PUBLIC_URL", "https://verify.example.test/");
        Files.writeString(dir.resolve("users.csv"), "email,locale\nada@example.com,ar\n");

        Conversation cli = new Conversation(env, dir, "send", "--csv", "users.csv");

        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        MimeMessage message = smtp.getReceivedMessages()[0];
        String code = message.getSubject().split(" ")[0];
        MimeMultipart alternative = (MimeMultipart) message.getContent();
        String text = part(alternative, "text/plain");
        assertThat(part(alternative, "text/html")).contains("<html lang=\"ar\" dir=\"rtl\">");
        Matcher link = LINK.matcher(text);
        assertThat(link.find()).as(text).isTrue();
        try (OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false)) {
            assertThat(app.linkTokens()
                            .open(new VerificationId(link.group(1)), link.group(2))
                            .map(OneTimeCode::reveal))
                    .contains(code);
        }
    }

    private Map<String, String> env() {
        return new HashMap<>(MailServer.env(smtp, dir.resolve("data")));
    }

    private static String part(MimeMultipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }
}
