package io.otpgate.server.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page templates: compiled at load so a broken one stops start-up, and every value escaped. */
class PageTemplatesTest {

    private static final String DIR = "io/otpgate/server/pagetemplates/";

    @Test
    void everyValueIsEscapedInTextAndInAttributes() {
        PageTemplates templates = PageTemplates.load(DIR, List.of("value"));

        String html =
                templates.render("value", Map.of("title", "\"><script>", "text", "<b>Tom & 'Jerry'</b>", "id", ""));

        assertThat(html)
                .isEqualTo("<p title=\"&quot;&gt;&lt;script&gt;\">&lt;b&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;</p>\n");
    }

    @Test
    void anEmptyStringLeavesItsSectionOutAndAnyOtherValueKeepsIt() {
        PageTemplates templates = PageTemplates.load(DIR, List.of("value"));

        assertThat(templates.render("value", Map.of("title", "t", "text", "x", "id", "")))
                .doesNotContain("id=");
        assertThat(templates.render("value", Map.of("title", "t", "text", "x", "id", "a?b=c")))
                .contains(" id=\"a?b=c\"");
    }

    @Test
    void aBrokenTemplateFailsTheLoadAndNamesItsFile() {
        assertThatThrownBy(() -> PageTemplates.load(DIR, List.of("value", "broken")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DIR + "broken.mustache");
    }

    @Test
    void aMissingTemplateFailsTheLoad() {
        assertThatThrownBy(() -> PageTemplates.load(DIR, List.of("absent")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DIR + "absent.mustache");
    }

    @Test
    void aMisspeltValueFailsTheRenderInsteadOfShowingNothing() {
        PageTemplates templates = PageTemplates.load(DIR, List.of("value"));

        assertThatThrownBy(() -> templates.render("value", Map.of("title", "t", "id", "")))
                .hasMessageContaining("text");
    }

    @Test
    void aChildFillsItsParentsBlock() {
        PageTemplates templates = PageTemplates.load(DIR, List.of("parent", "child"));

        assertThat(templates.render("child", Map.of("text", "<hi>"))).isEqualTo("<main><b>&lt;hi&gt;</b></main>");
    }
}
