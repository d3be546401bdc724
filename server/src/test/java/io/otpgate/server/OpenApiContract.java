package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.otpgate.server.ServiceFixture.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI document of the server as a test oracle: finds the operation, response and media
 * type a real reply belongs to and validates the reply's body and headers against the schema the
 * document declares there (JSON Schema 2020-12 in the OpenAPI 3.1 dialect, formats asserted,
 * {@code $ref}s resolved inside the document).
 */
final class OpenApiContract {

    static final String RESOURCE = "io/otpgate/server/openapi.json";
    /** The document's own address: every {@code #/components/...} reference resolves against it. */
    static final String BASE = "classpath:" + RESOURCE;

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode doc;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode doc) {
        this.doc = doc;
        this.factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(OpenApi31.getInstance())
                        .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
        this.config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    }

    static OpenApiContract load() {
        return new OpenApiContract(parse(resourceBytes()));
    }

    static byte[] resourceBytes() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as("classpath resource " + RESOURCE).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    JsonNode document() {
        return doc;
    }

    /** Every documented operation as {@code "GET /path"}. */
    Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        ops.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return ops;
    }

    JsonNode operation(String method, String template) {
        return doc.at(operationPointer(method, template));
    }

    /** The stable error codes: the enum of {@code Problem.code}. */
    Set<String> errorCodes() {
        JsonNode code = resolve(doc.at("/components/schemas/Problem/properties/code"));
        Set<String> codes = new LinkedHashSet<>();
        code.path("enum").forEach(c -> codes.add(c.asText()));
        return codes;
    }

    /** The documented path template a concrete request path belongs to, literal paths first. */
    Optional<String> template(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (doc.path("paths").path(bare).has(m)) {
            return Optional.of(bare);
        }
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (!template.contains("{") || !doc.path("paths").path(template).has(m)) {
                continue;
            }
            String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, bare)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    /**
     * Asserts that a real reply is one the document declares for this request: a documented status,
     * media type and required headers, and a body valid against the declared schema. Returns the body
     * as JSON, or null when it is not JSON.
     */
    JsonNode assertConforms(String method, String path, Reply reply) {
        String template = template(method, path)
                .orElseThrow(() -> new AssertionError("no documented operation for " + method + " " + path));
        String where = method + " " + path + " (" + template + ") -> " + reply.status() + " " + reply.body();
        String responsePointer = operationPointer(method, template) + "/responses/" + reply.status();
        JsonNode response = doc.at(responsePointer);
        if (response.isMissingNode()) {
            fail("undocumented status: " + where);
        }
        if (response.has("$ref")) {
            responsePointer = localPointer(response.get("$ref").asText());
            response = doc.at(responsePointer);
        }
        String contentType = reply.header("Content-Type");
        assertThat(contentType).as("Content-Type of " + where).isNotNull();
        String media = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        assertThat(response.path("content").has(media))
                .as("media type " + media + " documented for " + where)
                .isTrue();
        if (reply.status() >= 400 && response.path("content").has("application/problem+json")) {
            assertThat(media).as("errors are problem details: " + where).isEqualTo("application/problem+json");
        }
        assertHeaders(response, reply, where);

        String schemaPointer = responsePointer + "/content/" + escape(media) + "/schema";
        if (!media.endsWith("json")) {
            assertThat(resolve(doc.at(schemaPointer)).path("type").asText())
                    .as(where)
                    .isEqualTo("string");
            assertThat(reply.body()).as(where).isNotBlank();
            return null;
        }
        JsonNode body = parse(reply.body().getBytes(StandardCharsets.UTF_8));
        List<String> violations = violations(schemaPointer, body);
        assertThat(violations).as("schema violations of " + where).isEmpty();
        if (media.equals("application/problem+json")) {
            assertProblem(body, reply, where);
        }
        return body;
    }

    /** For replies no operation declares (unknown path, wrong method): still a valid {@code Problem}. */
    JsonNode assertProblem(Reply reply) {
        String where = reply.status() + " " + reply.body();
        assertThat(reply.header("Content-Type")).as(where).startsWith("application/problem+json");
        JsonNode body = parse(reply.body().getBytes(StandardCharsets.UTF_8));
        assertThat(violationsOf("Problem", body))
                .as("schema violations of " + where)
                .isEmpty();
        assertProblem(body, reply, where);
        return body;
    }

    private void assertProblem(JsonNode body, Reply reply, String where) {
        assertThat(errorCodes())
                .as("code of " + where)
                .contains(body.path("code").asText());
        assertThat(body.path("status").asInt()).as(where).isEqualTo(reply.status());
        assertThat(body.path("type").asText())
                .as(where)
                .isEqualTo("urn:otpgate:problem:" + body.path("code").asText());
        assertThat(body.path("request_id").asText()).as(where).isEqualTo(reply.header("X-Request-Id"));
        if (reply.status() == 429 || reply.status() == 503) {
            assertThat(reply.header("Retry-After"))
                    .as(where)
                    .isEqualTo(body.path("retry_after").asText());
        } else {
            assertThat(body.has("retry_after"))
                    .as("retry_after only on 429 and 503: " + where)
                    .isFalse();
        }
    }

    private void assertHeaders(JsonNode response, Reply reply, String where) {
        response.path("headers").fields().forEachRemaining(entry -> {
            JsonNode header = resolve(entry.getValue());
            String value = reply.header(entry.getKey());
            if (value == null) {
                assertThat(header.path("required").asBoolean())
                        .as("required header " + entry.getKey() + " of " + where)
                        .isFalse();
                return;
            }
            JsonNode schema = resolve(header.path("schema"));
            JsonNode instance = schema.path("type").asText().equals("integer") && value.matches("-?[0-9]{1,18}")
                    ? LongNode.valueOf(Long.parseLong(value))
                    : TextNode.valueOf(value);
            String pointer = pointerOf(entry.getValue()) + "/schema";
            assertThat(violations(pointer, instance))
                    .as("header " + entry.getKey() + ": " + value + " of " + where)
                    .isEmpty();
        });
    }

    /** Where a header (or a reference to one) lives, for validating its value. */
    private String pointerOf(JsonNode maybeRef) {
        if (maybeRef.has("$ref")) {
            return localPointer(maybeRef.get("$ref").asText());
        }
        throw new AssertionError("headers are documented as references to #/components/headers: " + maybeRef);
    }

    /** Violations of {@code instance} against the schema at a JSON pointer into the document. */
    List<String> violations(String schemaPointer, JsonNode instance) {
        assertThat(doc.at(schemaPointer).isMissingNode())
                .as("schema at " + schemaPointer)
                .isFalse();
        JsonSchema schema = schemas.computeIfAbsent(
                schemaPointer, p -> factory.getSchema(SchemaLocation.of(BASE + "#" + p), config));
        List<String> out = new ArrayList<>();
        for (ValidationMessage message : schema.validate(instance)) {
            out.add(message.toString());
        }
        return out;
    }

    List<String> violationsOf(String component, JsonNode instance) {
        return violations("/components/schemas/" + component, instance);
    }

    /** Follows a local {@code $ref}, if the node is one. */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            current = doc.at(localPointer(current.get("$ref").asText()));
        }
        return current;
    }

    static String localPointer(String ref) {
        assertThat(ref).as("only local references").startsWith("#");
        return ref.substring(1);
    }

    static String operationPointer(String method, String template) {
        return "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
