package io.otpgate.mail;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.EmailAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The email {@code otpgate smtp-test} sends: no code, just proof that the SMTP settings deliver. Its
 * HTML is a Mustache template like every other, so the brand (an operator's setting) is escaped.
 */
public final class SmtpTestEmail {

    private static final Template HTML = Mustache.compiler()
            .compile("<!doctype html><html><body><p>This is a test email from {{brand}}."
                    + " If you can read it, the SMTP settings work.</p></body></html>");

    private SmtpTestEmail() {}

    public static OutgoingEmail to(EmailAddress to, String brand) {
        return new OutgoingEmail(
                "<smtp-test-" + UUID.randomUUID() + "@otpgate.invalid>",
                to,
                Optional.empty(),
                brand + " SMTP test",
                "This is a test email from " + brand + ". If you can read it, the SMTP settings work.\n",
                HTML.execute(Map.of("brand", brand)));
    }
}
