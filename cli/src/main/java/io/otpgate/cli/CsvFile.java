package io.otpgate.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A CSV file as {@code otpgate send --csv} reads it (RFC 4180 with a header row), tolerant of what
 * spreadsheets write and strict about what they do not.
 *
 * <p>Tolerant: a UTF-8 byte order mark (Excel's "CSV UTF-8"), CRLF or LF line ends, blank lines
 * (skipped, not rows), spaces around fields. Strict: a row with another number of fields than the
 * header, or a quote that is never closed, is a bad row reported with its line number, and reading
 * goes on with the next line, so one typo never stops the rest of the file. Bytes that are not
 * UTF-8 refuse the whole file, naming the line and byte offset of the first one: a Latin-1 export
 * would otherwise send garbled names to some rows and none to others.
 */
final class CsvFile {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The file cannot be read as a CSV at all (not UTF-8, no header, no email column). */
    static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** A data row: its fields by header column (lower case), or why it could not be read. */
    record Row(int line, List<String> columns, List<String> fields, Optional<String> problem) {

        Optional<String> get(String column) {
            int at = columns.indexOf(column);
            return at < 0 || at >= fields.size() ? Optional.empty() : Optional.of(fields.get(at));
        }
    }

    private final String text;
    private int at;
    private int line = 1;

    private CsvFile(String text) {
        this.text = text;
    }

    /** Reads every data row of {@code file}, in order; bad rows carry their problem. */
    static List<Row> read(Path file) throws IOException {
        CsvFile csv = new CsvFile(decode(Files.readAllBytes(file)));
        List<String> header = csv.header();
        List<Row> rows = new ArrayList<>();
        while (!csv.atEnd()) {
            csv.skipBlankLines();
            if (csv.atEnd()) {
                break;
            }
            rows.add(csv.row(header));
        }
        return rows;
    }

    /** Strict UTF-8, so that a file in another encoding is named as such instead of misread. */
    static String decode(byte[] bytes) throws Unreadable {
        if (bytes.length >= 2
                && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE
                        || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)) {
            // Excel's "Unicode Text" and some exports: told apart by their byte order mark.
            throw new Unreadable("the file is UTF-16 (it starts with the byte order mark 0x"
                    + String.format(Locale.ROOT, "%02X%02X", bytes[0] & 0xFF, bytes[1] & 0xFF)
                    + "); save it as \"CSV UTF-8\" (Excel) or convert it, e.g. iconv -f utf-16 -t utf-8");
        }
        int start = startsWithBom(bytes) ? BOM.length : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int lineNumber = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    lineNumber++;
                }
            }
            throw new Unreadable(String.format(
                    Locale.ROOT,
                    "line %d, byte %d: 0x%02X is not UTF-8; save the file as \"CSV UTF-8\" (Excel) or convert it,"
                            + " e.g. iconv -f latin1 -t utf-8",
                    lineNumber,
                    offset,
                    bytes[offset] & 0xFF));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= BOM.length && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }

    private List<String> header() throws Unreadable {
        skipBlankLines();
        if (atEnd()) {
            throw new Unreadable("the file is empty; the first line must name the columns, such as email,name");
        }
        Row header = row(null);
        if (header.problem().isPresent()) {
            throw new Unreadable("header row: " + header.problem().get());
        }
        List<String> columns = header.fields().stream()
                .map(c -> c.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (!columns.contains("email")) {
            // Excel in many European locales separates with semicolons.
            String hint = columns.size() == 1 && columns.get(0).contains(";")
                    ? "; the file seems to use ';' between fields: save it as comma-separated CSV"
                    : "";
            throw new Unreadable(
                    "the header row has no 'email' column (found: " + String.join(", ", columns) + ")" + hint);
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!seen.add(column)) {
                throw new Unreadable("the header row names the column '" + column + "' twice");
            }
        }
        return columns;
    }

    private boolean atEnd() {
        return at >= text.length();
    }

    /** Skips lines holding nothing but spaces: a spreadsheet's empty last rows are not recipients. */
    private void skipBlankLines() {
        while (!atEnd()) {
            int end = at;
            while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                end++;
            }
            if (end == text.length()) {
                at = end;
            } else if (text.charAt(end) == '\n') {
                at = end + 1;
                line++;
            } else if (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n') {
                at = end + 2;
                line++;
            } else {
                return;
            }
        }
    }

    /** One record from here to its end of line; {@code header} null while reading the header itself. */
    private Row row(List<String> header) {
        int startLine = line;
        int startAt = at;
        List<String> fields = new ArrayList<>();
        while (true) {
            FieldEnd end = field(fields);
            if (end == FieldEnd.UNTERMINATED) {
                // The rest of the file is not one field: read on from the line after this row's start.
                rewindToLineAfter(startAt, startLine);
                return bad(startLine, header, "a quoted field is never closed (a \" is missing)");
            }
            if (end == FieldEnd.JUNK_AFTER_QUOTE) {
                skipToEndOfLine();
                return bad(startLine, header, "text after a closing quote; write a quote inside quotes as \"\"");
            }
            if (end == FieldEnd.RECORD) {
                break;
            }
        }
        if (header != null && fields.size() != header.size()) {
            return bad(
                    startLine,
                    header,
                    fields.size() + " fields, but the header has " + header.size() + " (" + String.join(",", header)
                            + ")");
        }
        return new Row(startLine, header == null ? List.of() : header, fields, Optional.empty());
    }

    private static Row bad(int line, List<String> header, String problem) {
        return new Row(line, header == null ? List.of() : header, List.of(), Optional.of(problem));
    }

    private enum FieldEnd {
        FIELD,
        RECORD,
        UNTERMINATED,
        JUNK_AFTER_QUOTE
    }

    /** Reads one field into {@code fields} and what ended it. */
    private FieldEnd field(List<String> fields) {
        StringBuilder value = new StringBuilder();
        while (!atEnd() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
        if (!atEnd() && text.charAt(at) == '"') {
            at++;
            boolean spansLines = false;
            while (true) {
                if (atEnd()) {
                    return FieldEnd.UNTERMINATED;
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    if (!atEnd() && text.charAt(at) == '"') {
                        value.append('"');
                        at++;
                    } else {
                        break;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                        spansLines = true;
                    }
                    value.append(c);
                }
            }
            while (!atEnd() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
            fields.add(value.toString());
            FieldEnd end = separator();
            if (end == null) {
                // A quote that "closes" lines later with text after it was the opening quote of a
                // later row: this row's own quote was never closed.
                return spansLines ? FieldEnd.UNTERMINATED : FieldEnd.JUNK_AFTER_QUOTE;
            }
            return end;
        }
        while (!atEnd()) {
            char c = text.charAt(at);
            if (c == ',' || c == '\n' || c == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n') {
                break;
            }
            value.append(c);
            at++;
        }
        fields.add(value.toString().strip());
        return separator();
    }

    /** Consumes a comma or a line end; null if something else follows. */
    private FieldEnd separator() {
        if (atEnd()) {
            return FieldEnd.RECORD;
        }
        char c = text.charAt(at);
        if (c == ',') {
            at++;
            return FieldEnd.FIELD;
        }
        if (c == '\n') {
            at++;
            line++;
            return FieldEnd.RECORD;
        }
        if (c == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n') {
            at += 2;
            line++;
            return FieldEnd.RECORD;
        }
        return null;
    }

    private void skipToEndOfLine() {
        while (!atEnd() && text.charAt(at) != '\n') {
            at++;
        }
        if (!atEnd()) {
            at++;
            line++;
        }
    }

    private void rewindToLineAfter(int startAt, int startLine) {
        at = startAt;
        line = startLine;
        skipToEndOfLine();
    }
}
