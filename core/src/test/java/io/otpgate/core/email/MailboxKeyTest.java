package io.otpgate.core.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class MailboxKeyTest {

    private static MailboxKey keyOf(String address) {
        return MailboxKey.of(EmailAddress.parse(address).orElseThrow());
    }

    @Test
    void letterCaseOfTheLocalPartIsOneMailbox() {
        assertThat(keyOf("CaseA@Example.COM")).isEqualTo(keyOf("casea@example.com"));
        assertThat(keyOf("CaseA@example.com").value()).isEqualTo("casea@example.com");
    }

    @Test
    void composedAndDecomposedUnicodeAreOneMailbox() {
        // Addresses are ASCII-only today (EmailAddress refuses the rest), but stored rows and a future
        // SMTPUTF8 must not make two keys of one mailbox.
        String composed = "Jos\u00e9@example.com";
        String decomposed = "JOSE\u0301@example.com";

        assertThat(MailboxKey.ofCanonical(decomposed)).isEqualTo(MailboxKey.ofCanonical(composed));
        assertThat(MailboxKey.ofCanonical(decomposed).value()).isEqualTo("jos\u00e9@example.com");
    }

    @Test
    void foldingIgnoresTheDefaultLocale() {
        // In a Turkish locale "I".toLowerCase() is a dotless ı: the key must not depend on the JVM's locale.
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(keyOf("INFO@example.com").value()).isEqualTo("info@example.com");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void theCeilingDropsAPlusTagAndKeepsEverythingElse() {
        assertThat(keyOf("Ada+News@example.com").withoutTag()).isEqualTo(keyOf("ada@example.com"));
        assertThat(keyOf("ada@example.com").withoutTag()).isEqualTo(keyOf("ada@example.com"));
        assertThat(keyOf("+tag@example.com").withoutTag().value()).isEqualTo("+tag@example.com");
    }

    @Test
    void theAddressAsTypedIsKeptForDelivery() {
        EmailAddress typed = EmailAddress.parse("CaseA@example.com").orElseThrow();

        MailboxKey.of(typed);

        assertThat(typed.value()).isEqualTo("CaseA@example.com");
    }
}
