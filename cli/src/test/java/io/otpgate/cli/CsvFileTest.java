package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV reader on files written as spreadsheets and people write them, one step off RFC 4180. */
class CsvFileTest {

    @TempDir
    Path dir;

    private List<CsvFile.Row> read(String text) throws Exception {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<CsvFile.Row> read(byte[] bytes) throws Exception {
        Path file = dir.resolve("users.csv");
        Files.write(file, bytes);
        return CsvFile.read(file);
    }

    @Test
    void quotedFieldsKeepCommasDoubledQuotesAndLineBreaksAndTheLineNumbersStayRight() throws Exception {
        List<CsvFile.Row> rows = read("email,name\r\n"
                + "ada@example.com,\"Lovelace, Ada\"\r\n"
                + "bob@example.com,\"Bob \"\"the builder\"\"\"\r\n"
                + "carol@example.com,\"Carol\r\nsecond line\"\r\n"
                + "dan@example.com,Dan\r\n");

        assertThat(rows).extracting(CsvFile.Row::line).containsExactly(2, 3, 4, 6);
        assertThat(rows.get(0).get("name")).contains("Lovelace, Ada");
        assertThat(rows.get(1).get("name")).contains("Bob \"the builder\"");
        assertThat(rows.get(2).get("name")).contains("Carol\r\nsecond line");
        assertThat(rows).allSatisfy(row -> assertThat(row.problem()).isEmpty());
    }

    @Test
    void anUnclosedQuoteSpoilsOnlyItsOwnRow() throws Exception {
        List<CsvFile.Row> rows = read(
                "email,name\n" + "ada@example.com,\"Ada\n" + "bob@example.com,Bob\n" + "carol@example.com,Carol\n");

        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).problem()).hasValueSatisfying(p -> assertThat(p).contains("never closed"));
        assertThat(rows.subList(1, rows.size()))
                .extracting(row -> row.get("email"))
                .containsExactly(Optional.of("bob@example.com"), Optional.of("carol@example.com"));
    }

    @Test
    void theHeaderIsCheckedBeforeAnyRow() {
        assertThatThrownBy(() -> read("mail,name\nada@example.com,Ada\n"))
                .isInstanceOf(CsvFile.Unreadable.class)
                .hasMessageContaining("no 'email' column (found: mail, name)");
        assertThatThrownBy(() -> read("email;name\nada@example.com;Ada\n"))
                .hasMessageContaining("seems to use ';' between fields");
        assertThatThrownBy(() -> read("email,Email\nada@example.com,x\n"))
                .hasMessageContaining("names the column 'email' twice");
        assertThatThrownBy(() -> read("\n  \n")).hasMessageContaining("the file is empty");
    }

    @Test
    void aHeaderAloneHasNoRows() throws Exception {
        assertThat(read("\uFEFFemail,name\r\n")).isEmpty();
    }

    @Test
    void utf16IsNamedAsSuchNotAsABadByte() {
        byte[] utf16 = "\uFEFFemail\r\nada@example.com\r\n".getBytes(StandardCharsets.UTF_16LE);

        assertThatThrownBy(() -> read(utf16))
                .isInstanceOf(CsvFile.Unreadable.class)
                .hasMessageContaining("the file is UTF-16")
                .hasMessageContaining("iconv -f utf-16 -t utf-8");
    }
}
