package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.server.pages.DevMailboxPage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev mailbox page: the emails' links can be followed, and nothing in an email becomes markup. */
class DevMailboxPageTest {

    @Test
    void theConfirmLinkInAnEmailIsALinkOnTheMailboxPage(@TempDir Path dir) {
        String page;
        String id;
        try (ServiceFixture service = new ServiceFixture(dir)) {
            id = service.start("ada@example.com");
            service.codeFor("ada@example.com", 1);
            page = new PageClient(service.server.port()).get("/dev/mailbox").body();
        }

        assertThat(page)
                .containsPattern("<a href=\"http://otpgate\\.test/confirm/" + id + "/[A-Za-z0-9_-]+\">"
                        + "http://otpgate\\.test/confirm/" + id + "/[A-Za-z0-9_-]+</a>");
        assertThat(page).contains("<main>");
    }

    @Test
    void onlyPlainHttpUrlsBecomeLinksAndEverythingElseStaysEscaped() {
        String text = "<script>alert(1)</script> javascript:alert(2) <a href=\"https://evil.example\">x</a> "
                + "see https://ok.example/a?b=1&c=2. or http://x.example/\"onmouseover=alert(3) ftp://no.example";

        String html = preOf(new DevMailboxPage(Optional.empty()).render(List.of(email(text, "<p>html</p>"))));

        assertThat(html).doesNotContain("<script", "\"onmouseover");
        assertThat(html)
                .contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt;",
                        "javascript:alert(2)",
                        "&lt;a href=&quot;<a href=\"https://evil.example\">https://evil.example</a>&quot;&gt;x&lt;/a&gt;",
                        "<a href=\"https://ok.example/a?b=1&amp;c=2\">https://ok.example/a?b=1&amp;c=2</a>. or ",
                        "<a href=\"http://x.example/\">http://x.example/</a>&quot;onmouseover=alert(3)",
                        "ftp://no.example");
        assertThat(html.replaceAll("<a href=\"[^\"<>]*\">[^<>]*</a>", "")).doesNotContain("<", ">");
    }

    /** Finding 18 of issue 11: an Arabic email was shown left to right. */
    @Test
    void eachEmailIsShownInItsLanguagesDirection(@TempDir Path dir) {
        String page;
        try (ServiceFixture service = new ServiceFixture(dir)) {
            service.post("/v1/verifications", "{\"email\":\"layla@example.com\",\"locale\":\"ar\"}");
            service.post("/v1/verifications", "{\"email\":\"ada@example.com\",\"locale\":\"en\"}");
            service.codeFor("layla@example.com", 1);
            service.codeFor("ada@example.com", 1);
            page = new PageClient(service.server.port()).get("/dev/mailbox").body();
        }

        assertThat(page).containsPattern("<h2 lang=\"ar\" dir=\"rtl\">[^<]*</h2><p>To: <code>layla@example.com");
        assertThat(page).contains("<pre lang=\"ar\" dir=\"rtl\">", "<pre lang=\"en\" dir=\"ltr\">");
        assertThat(page).contains("overflow-wrap: anywhere");
    }

    @Test
    void anEmailWhoseHtmlNamesNoLanguageLetsItsTextDecide() {
        var page = new DevMailboxPage(Optional.empty());
        String plain = page.render(List.of(email("t", "<p>operator's template</p>")));
        String hostile = page.render(List.of(email("t", "<html lang=\"ar\\\" onload=x\">")));

        assertThat(plain).contains("<h2 dir=\"auto\">", "<pre dir=\"auto\">");
        assertThat(hostile).doesNotContain("onload");
    }

    @Test
    void anEmptyMailboxSaysSo() {
        assertThat(new DevMailboxPage(Optional.empty()).render(List.of())).contains("<p>No emails yet.</p>");
    }

    private static CapturedEmail email(String text, String html) {
        return new CapturedEmail(1, new EmailAddress("a@example.com"), "s", text, html, Instant.EPOCH);
    }

    /** The text of the one email on a mailbox page, as the page's markup has it. */
    private static String preOf(String page) {
        Matcher pre = Pattern.compile("<pre[^>]*>(.*)</pre>", Pattern.DOTALL).matcher(page);
        assertThat(pre.find()).isTrue();
        return pre.group(1);
    }
}
