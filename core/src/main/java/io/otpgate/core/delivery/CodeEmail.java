package io.otpgate.core.delivery;

import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to render one code email.
 *
 * @param rowId the outbox row id, the basis of a stable Message-ID
 * @param verificationId the verification the code belongs to, for the email's confirm link
 * @param validFor how long the code remains valid when the email is rendered
 */
public record CodeEmail(
        String rowId,
        VerificationId verificationId,
        EmailAddress to,
        Optional<DisplayName> name,
        Locale locale,
        Purpose purpose,
        OneTimeCode code,
        Duration validFor) {

    public CodeEmail {
        Objects.requireNonNull(rowId, "rowId");
        Objects.requireNonNull(verificationId, "verificationId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(validFor, "validFor");
    }
}
