package io.otpgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * JSON in and out, through one mapper that Javalin's {@code ctx.json} uses too. Requests are read as
 * a tree and each field is checked by hand: unknown fields are ignored, and a missing or mistyped
 * field is a 400 that names it. Responses are records whose components are the documented fields,
 * in order, written in snake_case, nulls included.
 */
public final class Json {

    /** RFC 3339, UTC, millisecond precision: {@code 2026-01-01T10:00:00.123Z}. */
    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@link #time} of an instant that may be absent: {@code null} in the JSON. */
    public static String time(Optional<Instant> instant) {
        return instant.map(Json::time).orElse(null);
    }

    /** Deeper than any request needs; a hostile [[[[…]]]] is refused long before the stack suffers. */
    private static final int MAX_DEPTH = 32;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength((int) ServerSettings.MAX_BODY_BYTES)
                            .build())
                    // Duplicate keys are 400. Last-wins would let a proxy or WAF that keeps
                    // the first value see another request than the one we act on.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            // One JSON value and nothing after it: a proxy that parsed the rest differently would see
            // another request than we do.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {}

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response could not be serialised", e);
        }
    }

    /** The request's body as a JSON object, or a 400 (413) that says what is wrong with it. */
    public static Body object(io.javalin.http.Context ctx) {
        return object(Http.body(ctx));
    }

    /** The body as a JSON object, or a 400 that says what is wrong with it. */
    public static Body object(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiProblem.invalidRequest("the body must be a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(utf8(bytes));
        } catch (StreamReadException e) {
            throw ApiProblem.invalidRequest(duplicate(e)
                    .map(field -> "the field " + field + " appears more than once")
                    .orElse("the body is not valid JSON"));
        } catch (IOException e) {
            throw ApiProblem.invalidRequest("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.invalidRequest("the body must be a JSON object");
        }
        return new Body(node, "");
    }

    /**
     * The body as text, refusing what is not well-formed UTF-8. Jackson's own decoder reads
     * overlong forms ({@code C0 AF} as {@code /}) and encoded surrogates, so a byte-level filter in
     * front of us and this service would read different characters from the same body.
     */
    private static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            // RFC 8259 §8.1 lets a parser ignore a byte order mark, as Jackson did on bytes.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw ApiProblem.invalidRequest("the body is not valid UTF-8");
        }
    }

    /**
     * The path of the field {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION} refused, such as
     * {@code recipients[2].email}; empty for any other error. Jackson has no exception type of its
     * own for it, so its message is matched (pinned by a test).
     */
    private static Optional<String> duplicate(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null
                || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field ")) {
            return Optional.empty();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        // The names are the client's: a 50,000-character one is not echoed back whole.
        return Optional.of(path.length() > 100 ? path.substring(0, 100) + "…" : path);
    }

    /** One JSON object of a request, with the path of its fields for error messages. */
    public record Body(JsonNode node, String prefix) {

        public String requiredString(String field) {
            return optionalString(field).orElseThrow(() -> ApiProblem.invalidRequest(name(field) + " is required"));
        }

        public Optional<String> optionalString(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw ApiProblem.invalidRequest(name(field) + " must be a string");
            }
            return Optional.of(value.textValue());
        }

        public JsonNode requiredArray(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw ApiProblem.invalidRequest(name(field) + " is required");
            }
            if (!value.isArray()) {
                throw ApiProblem.invalidRequest(name(field) + " must be an array");
            }
            return value;
        }

        String name(String field) {
            return prefix + field;
        }
    }
}
