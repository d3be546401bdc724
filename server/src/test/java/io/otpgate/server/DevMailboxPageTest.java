package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

        String html = Pages.linked(text);

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
}
