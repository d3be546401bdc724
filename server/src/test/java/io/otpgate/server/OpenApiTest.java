package io.otpgate.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.verification.Verifier;
import io.otpgate.server.ServiceFixture.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the real service: every route documented and served, and every
 * real response of every route, success and error alike, valid against the schema the document
 * declares for its path, method, status and media type.
 */
class OpenApiTest {

    /** HttpServer's route table, method and path; the dev mailbox routes exist only without SMTP. */
    /** The hosted pages after the start page: HTML for people, described in the README, not here. */
    static final List<String> PAGE_ROUTES = List.of(
            "POST /start",
            "GET /verify/{id}",
            "POST /verify/{id}",
            "POST /verify/{id}/resend",
            "GET /verify/{id}/done",
            "GET /confirm/{id}/{token}",
            "POST /confirm/{id}/{token}",
            "GET /assets/{name}",
            "GET /dashboard",
            "POST /dashboard/sign-in",
            "POST /dashboard/sign-out");

    static final List<String> ROUTES = List.of(
            "GET /",
            "GET /health/live",
            "GET /health/ready",
            "GET /health/delivery",
            "GET /metrics",
            "GET /openapi.json",
            "GET /v1/stats",
            "POST /v1/verifications",
            "POST /v1/verifications/batch",
            "POST /v1/verifications/check",
            "GET /v1/verifications/{id}",
            "POST /v1/verifications/{id}/check",
            "POST /v1/verifications/{id}/resend",
            "POST /v1/verifications/{id}/cancel",
            "GET /v1/verifications/{id}/events",
            "GET /v1/webhooks",
            "POST /v1/webhooks",
            "DELETE /v1/webhooks/{id}",
            "POST /v1/webhooks/{id}/test",
            "GET /v1/webhooks/{id}/deliveries",
            "POST /v1/webhooks/{id}/deliveries/{delivery}/replay",
            "GET /dev/mailbox",
            "GET /dev/mailbox/messages");

    static final Set<String> ERROR_CODES = Set.of(
            "invalid_request",
            "invalid_email",
            "invalid_code_format",
            "unauthorized",
            "forbidden",
            "not_found",
            "not_pending",
            "resend_too_soon",
            "max_sends_reached",
            "rate_limited",
            "recipient_locked",
            "idempotency_key_reused",
            "duplicate_recipient",
            "payload_too_large",
            "batch_too_large",
            "internal",
            "unavailable");

    static final OpenApiContract API = OpenApiContract.load();

    @TempDir
    Path dir;

    ServiceFixture service;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    // ---- requests that are validated against the document as they come back ----

    private Reply get(String path) {
        return conforms("GET", path, service.get(path));
    }

    private Reply post(String path, String json) {
        return conforms("POST", path, service.post(path, json));
    }

    /** A POST with no body and no Content-Type, as resend and cancel allow. */
    private Reply postEmpty(String path) {
        return conforms("POST", path, service.send(service.request(path).POST(HttpRequest.BodyPublishers.noBody())));
    }

    private Reply conforms(String method, String path, Reply reply) {
        API.assertConforms(method, path, reply);
        return reply;
    }

    private static void assertCode(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("code").asText()).as(reply.body()).isEqualTo(code);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static String code(String code) {
        return "{\"code\":\"" + code + "\"}";
    }

    // ---- the document itself ----

    @Test
    void theDocumentIsOpenApi31AndTheServerServesItAsIs() {
        JsonNode doc = API.document();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();

        Reply served = service.send(
                service.request("/openapi.json").setHeader("Authorization", "").GET());
        API.assertConforms("GET", "/openapi.json", served);
        assertThat(OpenApiContract.parse(served.body().getBytes(UTF_8))).isEqualTo(doc);
    }

    @Test
    void everyReferenceResolvesAndEveryComponentSchemaCompiles() {
        List<String> refs = new ArrayList<>();
        collectRefs(API.document(), refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(API.document().at(OpenApiContract.localPointer(ref)).isMissingNode())
                    .as(ref)
                    .isFalse();
        }
        // Every component schema compiles: a JSON null is not valid against any of them.
        API.document()
                .path("components")
                .path("schemas")
                .fieldNames()
                .forEachRemaining(name -> assertThat(API.violationsOf(name, NullNode.getInstance()))
                        .as(name)
                        .isNotEmpty());
        // Every request-body example validates against the request schema next to it.
        for (String op : API.operations()) {
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            JsonNode media = API.operation(method, template).at("/requestBody/content/application~1json");
            if (!media.isMissingNode()) {
                assertThat(media.has("example")).as("request example of " + op).isTrue();
                String pointer = OpenApiContract.operationPointer(method, template)
                        + "/requestBody/content/application~1json/schema";
                assertThat(API.violations(pointer, media.get("example")))
                        .as("request example of " + op)
                        .isEmpty();
            }
        }
        // Every example in a component validates against its own schema.
        API.document().path("components").path("schemas").fields().forEachRemaining(entry -> {
            for (JsonNode example : entry.getValue().path("examples")) {
                assertThat(API.violationsOf(entry.getKey(), example))
                        .as(entry.getKey() + " example " + example)
                        .isEmpty();
            }
        });
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    @Test
    void theComponentsAndStableCodesAreThere() {
        JsonNode schemas = API.document().path("components").path("schemas");
        for (String name : List.of(
                "Verification",
                "Delivery",
                "CheckResult",
                "StartRequest",
                "CheckRequest",
                "CheckByEmailRequest",
                "BatchRequest",
                "BatchResult",
                "Stats",
                "Analytics",
                "Health",
                "Problem",
                "CapturedEmail")) {
            assertThat(schemas.has(name)).as(name).isTrue();
        }
        assertThat(API.errorCodes()).containsExactlyInAnyOrderElementsOf(ERROR_CODES);
        JsonNode bearer =
                API.document().path("components").path("securitySchemes").path("bearerAuth");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void everyOperationIsDescribedSecuredAsServedAndAnswersErrorsAsProblems() {
        Set<String> operationIds = new TreeSet<>();
        for (String op : API.operations()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1);
            JsonNode operation = API.operation(method, path);
            assertThat(operationIds.add(operation.path("operationId").asText()))
                    .as("unique operationId of " + op)
                    .isTrue();
            assertThat(operation.path("description").asText().length())
                    .as("description of " + op)
                    .isGreaterThan(40);
            assertThat(operation.path("security").isArray())
                    .as("security of " + op)
                    .isTrue();
            assertThat(operation.path("security").isEmpty())
                    .as("bearer auth exactly on /v1/*: " + op)
                    .isEqualTo(!path.startsWith("/v1/"));
            operation.path("responses").fields().forEachRemaining(response -> {
                JsonNode content = API.resolve(response.getValue()).path("content");
                assertThat(content.isEmpty()).as(op + " " + response.getKey()).isFalse();
                if (Integer.parseInt(response.getKey()) >= 400
                        && !response.getKey().equals("503")) {
                    assertThat(content.has("application/problem+json"))
                            .as(op + " " + response.getKey())
                            .isTrue();
                }
                if (response.getKey().equals("429")) {
                    assertThat(API.resolve(response.getValue()).path("headers").has("Retry-After"))
                            .as(op)
                            .isTrue();
                }
            });
            if (path.startsWith("/v1/")) {
                assertThat(operation.path("responses").has("401")).as(op).isTrue();
                assertThat(operation.path("responses").has("500")).as(op).isTrue();
            }
            if (method.equals("POST")) {
                assertThat(operation.path("responses").has("415")).as(op).isTrue();
            }
            if (operation.has("requestBody")) {
                assertThat(operation.path("responses").has("400")).as(op).isTrue();
                assertThat(operation.path("responses").has("413")).as(op).isTrue();
            }
        }
    }

    // ---- the document and the route table ----

    @Test
    void everyRouteOfTheServerIsDocumentedAndNothingElse() {
        assertThat(API.operations()).containsExactlyInAnyOrderElementsOf(ROUTES);
    }

    @Test
    void theRouteListMatchesHttpServersRouteTable() throws IOException {
        Path source = Path.of("src/main/java/io/otpgate/server/HttpServer.java");
        assumeThat(Files.exists(source)).as("run from the server module").isTrue();
        Matcher m = Pattern.compile("\\br\\.(get|post|put|patch|delete|head)\\(\"([^\"]+)\"")
                .matcher(Files.readString(source));
        Set<String> table = new TreeSet<>();
        while (m.find()) {
            table.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
        }
        List<String> documentedOrPages = new ArrayList<>(ROUTES);
        documentedOrPages.addAll(PAGE_ROUTES);
        assertThat(table).containsExactlyInAnyOrderElementsOf(documentedOrPages);
    }

    @Test
    void everyDocumentedOperationIsServedAndAnswersAsDocumented() {
        String id = service.start("served@example.com");
        service.codeFor("served@example.com", 1);
        service.clock.advance(Duration.ofSeconds(30)); // past the resend cooldown
        // A webhook whose test message has failed for good (its host does not resolve): one to replay.
        String webhook = service.post("/v1/webhooks", "{\"url\":\"https://hooks.example.com/otpgate\"}")
                .json()
                .get("id")
                .asText();
        service.post("/v1/webhooks/" + webhook + "/test", "{}");
        String delivery = service.awaitFailedWebhookDelivery(webhook);
        List<String> operations = new ArrayList<>(API.operations());
        operations.sort(Comparator.comparing((String op) -> op.endsWith("/cancel") || op.startsWith("DELETE"))
                .thenComparing(op -> op));

        for (String op : operations) {
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            String path = template.replace("{id}", template.startsWith("/v1/webhooks/") ? webhook : id)
                    .replace("{delivery}", delivery);
            JsonNode example = API.operation(method, template).at("/requestBody/content/application~1json/example");
            HttpRequest.Builder request = service.request(path);
            if (method.equals("GET")) {
                request.GET();
            } else if (method.equals("DELETE")) {
                request.DELETE();
            } else if (example.isMissingNode()) {
                request.POST(HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(example.toString()));
            }
            Reply reply = service.send(request);

            assertThat(reply.status()).as(op + ": " + reply.body()).isBetween(200, 299);
            API.assertConforms(method, path, reply);
        }
    }

    @Test
    void bearerAuthIsRequiredExactlyWhereDocumented() {
        String id = service.start("ada@example.com");
        for (String op : API.operations()) {
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            String path = template.replace("{id}", id).replace("{delivery}", "msg_none");
            boolean secured = !API.operation(method, template).path("security").isEmpty();
            for (String authorization : List.of("", "Bearer nope", "Basic " + ServiceFixture.KEY, "Bearer")) {
                HttpRequest.Builder request = service.request(path).setHeader("Authorization", authorization);
                if (method.equals("GET")) {
                    request.GET();
                } else if (method.equals("DELETE")) {
                    request.DELETE();
                } else {
                    request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
                }
                Reply reply = conforms(method, path, service.send(request));
                if (secured) {
                    assertCode(reply, 401, "unauthorized");
                    assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
                } else {
                    assertThat(reply.status()).as(op).isNotEqualTo(401);
                }
            }
        }
    }

    // ---- flows, each response validated ----

    @Test
    void startGetCheckAndStatsConform() {
        Reply started = post(
                "/v1/verifications",
                "{\"email\":\" Ada@Example.COM \",\"name\":\"Ada\",\"locale\":\"pt-BR\",\"purpose\":\"login\",\"unknown\":[1]}");
        assertThat(started.status()).isEqualTo(201);
        String id = started.json().get("id").asText();
        assertThat(started.header("Location")).isEqualTo("/v1/verifications/" + id);
        JsonNode unnamed = post("/v1/verifications", "{\"email\":\"bob@example.com\",\"name\":null}")
                .json();
        assertThat(unnamed.get("name").isNull()).isTrue();

        String code = service.codeFor("Ada@example.com", 1);
        service.awaitDelivery(id);
        JsonNode read = get("/v1/verifications/" + id).json();
        assertThat(read.get("delivery").get("status").asText()).isEqualTo("sent");
        assertThat(read.get("delivery").get("sent_at").isTextual()).isTrue();

        JsonNode incorrect =
                post("/v1/verifications/" + id + "/check", code(wrong(code))).json();
        JsonNode valid = post("/v1/verifications/" + id + "/check", code(code)).json();
        JsonNode again = post("/v1/verifications/" + id + "/check", code(code)).json();
        assertThat(incorrect.get("reason").asText()).isEqualTo("incorrect_code");
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("attempts_remaining").asInt()).isEqualTo(2); // only wrong checks count
        assertThat(again.get("reason").asText()).isEqualTo("already_approved");
        assertThat(get("/v1/verifications/" + id).json().get("status").asText()).isEqualTo("approved");

        service.clock.advance(Duration.ofSeconds(42));
        JsonNode stats = get("/v1/stats").json();
        assertThat(stats.get("verifications").get("approved").asLong()).isEqualTo(1);
        assertThat(stats.get("approval_rate").asDouble()).isEqualTo(1.0);
    }

    @Test
    void theAnalyticsOfEveryPeriodConformAndABadPeriodIsAProblem() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.awaitDelivery(id);
        service.clock.advance(Duration.ofSeconds(42));
        post("/v1/verifications/" + id + "/check", code(code));
        service.start("bob@gmail.com");
        service.database.rollup().rollUp(service.clock.instant());

        JsonNode day = get("/v1/stats?since=24h").json();
        assertThat(day.get("funnel").get("started").asLong()).isEqualTo(2);
        assertThat(day.get("funnel").get("approved").asLong()).isEqualTo(1);
        assertThat(day.get("conversion").asDouble()).isEqualTo(0.5);
        assertThat(day.get("time_to_verify_seconds").get("p50").asDouble()).isEqualTo(60.0);
        assertThat(day.get("over_time")).hasSize(25);
        for (String since : List.of("1h", "7d", "30d")) {
            assertThat(get("/v1/stats?since=" + since)
                            .json()
                            .get("funnel")
                            .get("started")
                            .asLong())
                    .isEqualTo(2);
        }
        for (String bad : List.of("2h", "", "24H", "1h%20")) {
            assertCode(get("/v1/stats?since=" + bad), 400, "invalid_request");
        }
    }

    @Test
    void aReadOnlyKeyReadsTheFiguresAndIsForbiddenEverythingElse() {
        String id = service.start("ada@example.com");
        String read = ServiceFixture.READ_KEY;

        assertThat(conforms("GET", "/v1/stats?since=24h", service.get(read, "/v1/stats?since=24h"))
                        .status())
                .isEqualTo(200);
        assertThat(conforms("GET", "/v1/stats", service.get(read, "/v1/stats")).status())
                .isEqualTo(200);
        assertCode(
                conforms(
                        "POST",
                        "/v1/verifications",
                        service.post(read, "/v1/verifications", "{\"email\":\"x@example.com\"}")),
                403,
                "forbidden");
        assertCode(
                conforms(
                        "POST",
                        "/v1/verifications/" + id + "/check",
                        service.post(read, "/v1/verifications/" + id + "/check", code("123456"))),
                403,
                "forbidden");
        assertCode(
                conforms(
                        "POST",
                        "/v1/verifications/" + id + "/cancel",
                        service.post(read, "/v1/verifications/" + id + "/cancel", "{}")),
                403,
                "forbidden");
        assertCode(
                conforms("GET", "/v1/verifications/" + id, service.get(read, "/v1/verifications/" + id)),
                403,
                "forbidden");
        assertCode(conforms("GET", "/v1/webhooks", service.get(read, "/v1/webhooks")), 403, "forbidden");
        assertThat(get("/v1/verifications/" + id).json().get("status").asText())
                .as("nothing changed")
                .isEqualTo("pending");
    }

    @Test
    void statsBeforeAnythingIsDecidedConform() {
        JsonNode stats = get("/v1/stats").json();
        assertThat(stats.get("approval_rate").isNull()).isTrue();
        assertThat(stats.get("median_seconds_to_approve").isNull()).isTrue();
    }

    @Test
    void checkByEmailConforms() {
        service.start("ada@example.com");
        service.codeFor("ada@example.com", 1); // delivered first, so the next email is the newest's
        String newest = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 2);

        assertCode(
                post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"12\"}"),
                400,
                "invalid_code_format");
        JsonNode incorrect = post(
                        "/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"" + wrong(code) + "\"}")
                .json();
        assertThat(incorrect.get("id").asText()).isEqualTo(newest);
        JsonNode valid = post(
                        "/v1/verifications/check",
                        "{\"email\":\"ada@example.com\",\"code\":\"" + code + "\",\"purpose\":\"verify_email\"}")
                .json();
        assertThat(valid.get("valid").asBoolean()).isTrue();

        assertCode(
                post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"" + code + "\"}"),
                404,
                "not_found");
        assertCode(
                post("/v1/verifications/check", "{\"email\":\"nobody@example.com\",\"code\":\"123456\"}"),
                404,
                "not_found");
        assertCode(
                post("/v1/verifications/check", "{\"email\":\"not an address\",\"code\":\"123456\"}"),
                404,
                "not_found");
        assertCode(
                post(
                        "/v1/verifications/check",
                        "{\"email\":\"ada@example.com\",\"code\":\"123456\",\"purpose\":\"../x\"}"),
                400,
                "invalid_request");
        assertCode(post("/v1/verifications/check", "{\"code\":\"123456\"}"), 400, "invalid_request");
        assertCode(post("/v1/verifications/check", "{\"email\":\"ada@example.com\"}"), 400, "invalid_request");
        assertCode(
                post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":123456}"),
                400,
                "invalid_request");
        assertCode(
                post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"1\",\"purpose\":7}"),
                400,
                "invalid_request");
    }

    @Test
    void aMalformedCodeIs400AndUsesNoAttempt() {
        String id = service.start("ada@example.com");

        assertCode(post("/v1/verifications/" + id + "/check", code("12ab")), 400, "invalid_code_format");
        assertCode(post("/v1/verifications/" + id + "/check", code("1234567")), 400, "invalid_code_format");
        assertCode(post("/v1/verifications/" + id + "/check", "{\"code\":123456}"), 400, "invalid_request");
        assertCode(post("/v1/verifications/" + id + "/check", "{}"), 400, "invalid_request");
        assertCode(post("/v1/verifications/" + id + "/check", "{\"code\":"), 400, "invalid_request");
        assertThat(get("/v1/verifications/" + id)
                        .json()
                        .get("attempts_remaining")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void exhaustionConforms() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);

        post("/v1/verifications/" + id + "/check", code(wrong(code)));
        post("/v1/verifications/" + id + "/check", code(wrong(code)));
        JsonNode third =
                post("/v1/verifications/" + id + "/check", code(wrong(code))).json();
        JsonNode right = post("/v1/verifications/" + id + "/check", code(code)).json();

        assertThat(third.get("reason").asText()).isEqualTo("max_attempts_reached");
        assertThat(third.get("status").asText()).isEqualTo("failed");
        assertThat(right.get("valid").asBoolean()).isFalse();
        assertThat(right.get("reason").asText()).isEqualTo("max_attempts_reached");
        assertThat(get("/v1/verifications/" + id).json().get("status").asText()).isEqualTo("failed");
        assertCode(postEmpty("/v1/verifications/" + id + "/resend"), 409, "not_pending");
    }

    @Test
    void expiryConforms() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.clock.advance(Duration.ofMinutes(10));

        assertThat(get("/v1/verifications/" + id).json().get("status").asText()).isEqualTo("expired");
        JsonNode result = post("/v1/verifications/" + id + "/check", code(code)).json();
        assertThat(result.get("reason").asText()).isEqualTo("expired");
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertCode(postEmpty("/v1/verifications/" + id + "/resend"), 409, "not_pending");
        assertCode(postEmpty("/v1/verifications/" + id + "/cancel"), 409, "not_pending");
        assertThat(get("/v1/stats").json().get("verifications").get("expired").asLong())
                .isEqualTo(1);
    }

    @Test
    void resendConformsAndInvalidatesTheOldCodeWithoutResettingAttempts() {
        String id = service.start("ada@example.com");
        String first = service.codeFor("ada@example.com", 1);
        post("/v1/verifications/" + id + "/check", code(wrong(first)));
        service.clock.advance(Duration.ofSeconds(10));

        Reply early = postEmpty("/v1/verifications/" + id + "/resend");
        assertCode(early, 429, "resend_too_soon");
        assertThat(early.header("Retry-After")).isEqualTo("20");

        service.clock.advance(Duration.ofSeconds(20));
        JsonNode resent = post("/v1/verifications/" + id + "/resend", "").json();
        assertThat(resent.get("sends").asInt()).isEqualTo(2);
        assertThat(resent.get("attempts_remaining").asInt()).isEqualTo(2);
        String second = service.codeFor("ada@example.com", 2);

        if (!first.equals(second)) {
            JsonNode old =
                    post("/v1/verifications/" + id + "/check", code(first)).json();
            assertThat(old.get("valid").asBoolean()).isFalse();
            assertThat(old.get("reason").asText()).isEqualTo("incorrect_code");
        }
        assertThat(post("/v1/verifications/" + id + "/check", code(second))
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void maxSendsConforms() {
        String id = service.start("ada@example.com");
        for (int i = 0; i < 4; i++) {
            service.clock.advance(Duration.ofSeconds(30));
            assertThat(postEmpty("/v1/verifications/" + id + "/resend").status())
                    .isEqualTo(200);
        }
        service.clock.advance(Duration.ofSeconds(30));

        Reply sixth = postEmpty("/v1/verifications/" + id + "/resend");
        assertCode(sixth, 429, "max_sends_reached");
        assertThat(get("/v1/verifications/" + id).json().get("sends_remaining").asInt())
                .isZero();
    }

    @Test
    void cancelConformsThen409AndUnknownIdsAre404() {
        String id = service.start("ada@example.com");

        Reply canceled = postEmpty("/v1/verifications/" + id + "/cancel");
        assertThat(canceled.json().get("status").asText()).isEqualTo("canceled");
        assertCode(post("/v1/verifications/" + id + "/cancel", "{}"), 409, "not_pending");
        assertCode(postEmpty("/v1/verifications/" + id + "/resend"), 409, "not_pending");
        assertThat(post("/v1/verifications/" + id + "/check", code("123456"))
                        .json()
                        .get("reason")
                        .asText())
                .isEqualTo("canceled");

        String unknown = "ver_00000000000000000000000000";
        assertCode(get("/v1/verifications/" + unknown), 404, "not_found");
        assertCode(post("/v1/verifications/" + unknown + "/check", code("123456")), 404, "not_found");
        assertCode(postEmpty("/v1/verifications/" + unknown + "/resend"), 404, "not_found");
        assertCode(postEmpty("/v1/verifications/" + unknown + "/cancel"), 404, "not_found");
        assertCode(get("/v1/verifications/not-an-id"), 404, "not_found");
        assertCode(post("/v1/verifications/VER_x/check", code("123456")), 404, "not_found");
    }

    @Test
    void aRestartCancelsTheOlderVerification() {
        String older = service.start("ada@example.com");
        service.start("ada@example.com");

        assertThat(get("/v1/verifications/" + older).json().get("status").asText())
                .isEqualTo("canceled");
        assertThat(post("/v1/verifications/" + older + "/check", code("123456"))
                        .json()
                        .get("reason")
                        .asText())
                .isEqualTo("canceled");
    }

    @Test
    void requestErrorsConform() {
        assertCode(post("/v1/verifications", "{\"email\":42}"), 400, "invalid_request");
        assertCode(post("/v1/verifications", "{\"name\":\"Ada\"}"), 400, "invalid_request");
        assertCode(post("/v1/verifications", "{\"email\":\"ada@example.com\",\"name\":{}}"), 400, "invalid_request");
        assertCode(post("/v1/verifications", "{\"email\":"), 400, "invalid_request");
        assertCode(post("/v1/verifications", "[\"ada@example.com\"]"), 400, "invalid_request");
        assertCode(post("/v1/verifications", ""), 400, "invalid_request");
        assertCode(
                post("/v1/verifications", "{\"email\":\"ada@example.com\",\"purpose\":\"../x\"}"),
                400,
                "invalid_request");
        assertCode(
                post("/v1/verifications", "{\"email\":\"ada@example.com\",\"locale\":\"!!\"}"), 400, "invalid_request");
        assertCode(
                post("/v1/verifications", "{\"email\":\"ada@example.com\",\"client_ip\":\"example.com\"}"),
                400,
                "invalid_request");
        assertCode(
                post("/v1/verifications", "{\"email\":\"ada@example.com\\r\\nBcc: eve@evil.test\"}"),
                400,
                "invalid_email");
        assertCode(post("/v1/verifications", "{\"email\":\"a@b\"}"), 400, "invalid_email");
        assertCode(post("/v1/verifications", "{\"email\":\"a@example.com, b@example.com\"}"), 400, "invalid_email");
        assertCode(post("/v1/verifications/batch", "{}"), 400, "invalid_request");
        assertCode(post("/v1/verifications/batch", "{\"recipients\":{}}"), 400, "invalid_request");
        assertCode(post("/v1/verifications/batch", "{\"recipients\":[],\"purpose\":1}"), 400, "invalid_request");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void bodiesOverOneMebibyteAre413Everywhere() {
        String id = service.start("ada@example.com");
        String huge = "{\"email\":\"ada@example.com\",\"code\":\"123456\",\"recipients\":[],\"name\":\""
                + "a".repeat(1024 * 1024) + "\"}";

        for (String path : List.of(
                "/v1/verifications",
                "/v1/verifications/batch",
                "/v1/verifications/check",
                "/v1/verifications/" + id + "/check")) {
            assertCode(post(path, huge), 413, "payload_too_large");
        }
    }

    @Test
    void nonJsonBodiesAre415OnEveryPost() {
        String id = service.start("ada@example.com");
        for (String op : API.operations()) {
            if (!op.startsWith("POST ")) {
                continue;
            }
            String path = op.substring(5).replace("{id}", id).replace("{delivery}", "msg_none");
            Reply form = conforms(
                    "POST",
                    path,
                    service.send(service.request(path)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("email=ada@example.com"))));
            assertCode(form, 415, "invalid_request");
        }
        // The media type is checked before the API key.
        Reply anonymous = conforms(
                "POST",
                "/v1/verifications",
                service.send(service.request("/v1/verifications")
                        .setHeader("Authorization", "")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("ada@example.com"))));
        assertCode(anonymous, 415, "invalid_request");
    }

    @Test
    void undocumentedMethodsAndPathsStillAnswerProblems() {
        Reply put = service.send(service.request("/v1/verifications").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        Reply getOnPost = service.get("/v1/verifications");
        Reply nope = service.get("/nope");
        Reply v1Nope = service.get("/v1/nope");

        assertCode(put, 405, "invalid_request");
        API.assertProblem(put);
        assertCode(getOnPost, 405, "invalid_request");
        API.assertProblem(getOnPost);
        assertCode(nope, 404, "not_found");
        assertThat(API.assertProblem(nope).get("detail").asText()).isEqualTo("no such resource");
        assertCode(v1Nope, 404, "not_found");
        API.assertProblem(v1Nope);
    }

    @Test
    void rateLimitsConform() {
        String last = null;
        for (int i = 0; i < 10; i++) {
            last = service.start("ada@example.com");
        }

        Reply eleventh = post("/v1/verifications", "{\"email\":\"ada@example.com\"}");
        assertCode(eleventh, 429, "rate_limited");
        assertThat(eleventh.header("Retry-After")).isEqualTo("3600");

        service.clock.advance(Duration.ofSeconds(30));
        assertCode(postEmpty("/v1/verifications/" + last + "/resend"), 429, "rate_limited");

        JsonNode batch = post(
                        "/v1/verifications/batch",
                        "{\"recipients\":[{\"email\":\"ada@example.com\"},{\"email\":\"bob@example.com\"}]}")
                .json();
        assertThat(batch.get("results").get(0).get("error").asText()).isEqualTo("rate_limited");
        assertThat(batch.get("results").get(1).get("id").asText()).startsWith("ver_");

        for (int i = 0; i < 30; i++) {
            assertThat(post("/v1/verifications", "{\"email\":\"u" + i + "@example.com\",\"client_ip\":\"203.0.113.7\"}")
                            .status())
                    .isEqualTo(201);
        }
        Reply ip = post("/v1/verifications", "{\"email\":\"x@example.com\",\"client_ip\":\"203.0.113.7\"}");
        assertCode(ip, 429, "rate_limited");
    }

    @Test
    void theApiKeyLimitConforms(@TempDir Path other) {
        try (ServiceFixture limited =
                new ServiceFixture(other, Policy.defaults(), s -> ServerSettingsFixture.withKeyStartLimit(s, 1))) {
            limited.start("a@example.com");
            Reply second = limited.post("/v1/verifications", "{\"email\":\"b@example.com\"}");
            API.assertConforms("POST", "/v1/verifications", second);
            assertCode(second, 429, "rate_limited");
        }
    }

    @Test
    void aLockedRecipientConformsEverywhere(@TempDir Path other) {
        Policy strict = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 5, 5, Duration.ofSeconds(30), 10, 3, Duration.ofHours(1));
        try (ServiceFixture locked = new ServiceFixture(other, strict, s -> s)) {
            String id = locked.start("ada@example.com");
            String code = locked.codeFor("ada@example.com", 1);
            for (int i = 0; i < 3; i++) {
                API.assertConforms(
                        "POST",
                        "/v1/verifications/" + id + "/check",
                        locked.post("/v1/verifications/" + id + "/check", code(wrong(code))));
            }
            locked.clock.advance(Duration.ofSeconds(30));

            List<Reply> refused = List.of(
                    locked.post("/v1/verifications/" + id + "/check", code(code)),
                    locked.post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"" + code + "\"}"),
                    locked.post("/v1/verifications/" + id + "/resend", ""),
                    locked.post("/v1/verifications", "{\"email\":\"ada@example.com\"}"));
            List<String> paths = List.of(
                    "/v1/verifications/" + id + "/check",
                    "/v1/verifications/check",
                    "/v1/verifications/" + id + "/resend",
                    "/v1/verifications");
            for (int i = 0; i < refused.size(); i++) {
                API.assertConforms("POST", paths.get(i), refused.get(i));
                assertCode(refused.get(i), 429, "recipient_locked");
                assertThat(Long.parseLong(refused.get(i).header("Retry-After"))).isPositive();
            }
            Reply batch = locked.post("/v1/verifications/batch", "{\"recipients\":[{\"email\":\"ada@example.com\"}]}");
            API.assertConforms("POST", "/v1/verifications/batch", batch);
            assertThat(batch.json().get("results").get(0).get("error").asText()).isEqualTo("recipient_locked");
        }
    }

    @Test
    void aBatchReportsEveryRecipientAsDocumented() {
        Reply reply = post("/v1/verifications/batch", """
        {"purpose": "verify_email", "recipients": [
          {"email": "ada@example.com", "name": "Ada"},
          {"email": "not-an-address"},
          {"name": "no email"},
          "just a string",
          {"email": 42},
          {"email": "grace@example.com", "locale": "fr", "extra": true},
          {"email": "eve@example.com", "name": "bad\\u0000name"},
          {"email": " Linus@EXAMPLE.org "}
        ]}""");

        JsonNode json = reply.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(3);
        assertThat(json.get("rejected").asInt()).isEqualTo(5);
        JsonNode results = json.get("results");
        assertThat(results).hasSize(8);
        assertThat(results.get(1).get("error").asText()).isEqualTo("invalid_email");
        assertThat(results.get(2).get("email").isNull()).isTrue();
        assertThat(results.get(3).get("error").asText()).isEqualTo("invalid_request");
        assertThat(results.get(4).get("email").isNull()).isTrue();
        assertThat(results.get(6).get("error").asText()).isEqualTo("invalid_request");
        for (JsonNode result : results) {
            if (result.has("error")) {
                assertThat(API.errorCodes()).contains(result.get("error").asText());
            } else {
                API.assertConforms(
                        "GET",
                        "/v1/verifications/" + result.get("id").asText(),
                        service.get("/v1/verifications/" + result.get("id").asText()));
            }
        }

        JsonNode badPurpose = post(
                        "/v1/verifications/batch",
                        "{\"purpose\":\"Not Valid\",\"recipients\":[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}]}")
                .json();
        assertThat(badPurpose.get("rejected").asInt()).isEqualTo(2);
        JsonNode empty = post("/v1/verifications/batch", "{\"recipients\":[]}").json();
        assertThat(empty.get("accepted").asInt()).isZero();
        assertThat(empty.get("results")).isEmpty();
    }

    @Test
    void aBatchOverTenThousandIsRefusedWholeAsDocumented() {
        StringBuilder body = new StringBuilder("{\"recipients\":[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"email\":\"u").append(i).append("@example.com\"}");
        }
        body.append("]}");

        assertCode(post("/v1/verifications/batch", body.toString()), 400, "batch_too_large");
        assertThat(get("/v1/stats").json().get("verifications").get("pending").asLong())
                .isZero();
    }

    @Test
    void healthMetricsHomeAndDevMailboxConform() {
        service.start("ada@example.com");
        service.codeFor("ada@example.com", 1);
        service.start("bob@example.com");
        service.codeFor("bob@example.com", 1);

        assertThat(get("/health/live").json().get("status").asText()).isEqualTo("up");
        assertThat(get("/health/ready").json().get("database").asText()).isEqualTo("up");
        assertThat(get("/health/delivery").json().get("status").asText()).isEqualTo("up");
        assertThat(get("/metrics").body()).contains("otpgate_verifications_started_total");
        assertThat(get("/").body()).doesNotContain("/openapi.json", "/metrics", "/health");
        assertThat(get("/dev/mailbox").body()).contains("bob@example.com");
        JsonNode messages = get("/dev/mailbox/messages").json();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("to").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void anEmptyDevMailboxConforms() {
        assertThat(get("/dev/mailbox/messages").json()).isEmpty();
        assertThat(get("/dev/mailbox").body()).contains("No emails yet");
    }

    @Test
    void withAnSmtpHostTheDevMailboxIsNotServed() {
        Verifier verifier = Verifier.builder()
                .policy(Policy.defaults())
                .store(service.database.verifications())
                .secret(ServiceFixture.SECRET)
                .clock(service.clock)
                .build();
        HttpServer smtpMode = HttpServer.builder()
                .verifier(verifier)
                .clock(service.clock)
                .settings(ServerSettingsFixture.defaults())
                .apiKeys(new ApiKeyCheck() {
                    @Override
                    public Optional<ApiCaller> caller(String presented) {
                        return Optional.empty();
                    }

                    @Override
                    public boolean active(String keyId) {
                        return false;
                    }
                })
                .stats(service.database.stats())
                .analytics(service.database.analytics())
                .metrics(new ApiMetrics(
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        service.database.stats(),
                        service.database.analytics(),
                        service.database.outbox(),
                        service.clock))
                .devMailbox(Optional.empty())
                .secret(ServiceFixture.SECRET)
                .rateLimiter(service.database.rateLimiter())
                .delivery(service.database.outbox(), Duration.ofMinutes(2))
                .build()
                .start();
        try {
            for (String path : List.of("/dev/mailbox", "/dev/mailbox/messages")) {
                Reply reply = sendTo(smtpMode.port(), path);
                API.assertConforms("GET", path, reply);
                assertCode(reply, 404, "not_found");
            }
            Reply home = sendTo(smtpMode.port(), "/");
            API.assertConforms("GET", "/", home);
            assertThat(home.body()).doesNotContain("/dev/mailbox");
        } finally {
            smtpMode.close();
        }
    }

    private Reply sendTo(int port, String path) {
        try {
            HttpResponse<String> response = service.http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aDatabaseOutOfReachConforms() {
        String id = service.start("ada@example.com");
        service.codeFor("ada@example.com", 1);
        service.database.close();

        assertCode(post("/v1/verifications", "{\"email\":\"ada@example.com\"}"), 503, "unavailable");
        assertCode(get("/v1/verifications/" + id), 503, "unavailable");
        assertCode(post("/v1/verifications/" + id + "/check", code("123456")), 503, "unavailable");
        assertCode(
                post("/v1/verifications/batch", "{\"recipients\":[{\"email\":\"bob@example.com\"}]}"),
                503,
                "unavailable");
        assertCode(get("/v1/stats"), 503, "unavailable");
        Reply ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("status").asText()).isEqualTo("down");
        assertThat(get("/health/delivery").status()).isEqualTo(503);
        assertThat(get("/health/live").status()).isEqualTo(200);
        assertThat(get("/metrics").status()).isEqualTo(200);
    }

    // ---- the validator bites ----

    private static ObjectNode verification() {
        return (ObjectNode) OpenApiContract.parse("""
        {"id": "ver_01j9z3k8q4m2x7c5v6b8n0p1r3", "email": "ada@example.com", "name": null,
         "purpose": "verify_email", "locale": "en", "status": "pending",
         "created_at": "2026-03-01T12:00:00Z", "expires_at": "2026-03-01T12:10:00.123Z",
         "attempts_remaining": 3, "sends": 1, "sends_remaining": 4,
         "resend_available_at": "2026-03-01T12:00:30Z",
         "delivery": {"status": "queued", "attempts": 0, "last_error": null, "sent_at": null}}
        """.getBytes(UTF_8));
    }

    @Test
    void theValidatorRejectsWhatTheDocumentDoesNotAllow() {
        assertThat(API.violationsOf("Verification", verification())).isEmpty();

        List<ObjectNode> bad = new ArrayList<>();
        bad.add(verification().put("code", "123456")); // undocumented field
        bad.add(verification().put("attempts_remaining", "3")); // wrong type
        bad.add(verification().put("id", "ver_0000000000000000000000000I")); // not Crockford base32
        bad.add(verification().put("status", "done")); // not in the enum
        bad.add(verification().put("created_at", "yesterday")); // not a date-time
        bad.add(verification().put("email", "not an address")); // not an email
        bad.add(verification().put("sends", -1)); // below the minimum
        bad.add((ObjectNode) verification().without("name")); // required, even when null
        ObjectNode deliveryExtra = verification();
        ((ObjectNode) deliveryExtra.get("delivery")).put("smtp_password", "x"); // undocumented nested field
        bad.add(deliveryExtra);
        ObjectNode deliveryStatus = verification();
        ((ObjectNode) deliveryStatus.get("delivery")).put("status", "delivered");
        bad.add(deliveryStatus);
        for (ObjectNode node : bad) {
            assertThat(API.violationsOf("Verification", node))
                    .as(node.toString())
                    .isNotEmpty();
        }

        JsonNode approvedWithReason = OpenApiContract.parse(
                "{\"id\":\"ver_01j9z3k8q4m2x7c5v6b8n0p1r3\",\"valid\":true,\"status\":\"approved\",\"reason\":\"expired\",\"attempts_remaining\":1}"
                        .getBytes(UTF_8));
        assertThat(API.violationsOf("CheckResult", approvedWithReason)).isNotEmpty();

        JsonNode unknownCode = OpenApiContract.parse(
                ("{\"type\":\"urn:otpgate:problem:oops\",\"title\":\"Oops\",\"status\":400,\"detail\":\"x\",\"code\":\"oops\","
                                + "\"instance\":\"/v1/verifications\",\"request_id\":\"r\"}")
                        .getBytes(UTF_8));
        assertThat(API.violationsOf("Problem", unknownCode)).isNotEmpty();

        JsonNode tooManyWithoutRetryAfter = OpenApiContract.parse(
                ("{\"type\":\"urn:otpgate:problem:resend_too_soon\",\"title\":\"Resend too soon\",\"status\":429,\"detail\":\"x\","
                                + "\"code\":\"resend_too_soon\",\"instance\":\"/v1/verifications/x/resend\",\"request_id\":\"r\"}")
                        .getBytes(UTF_8));
        assertThat(API.violationsOf("Problem", tooManyWithoutRetryAfter)).isEmpty();
        String resend429 = OpenApiContract.operationPointer("POST", "/v1/verifications/{id}/resend")
                + "/responses/429/content/application~1problem+json/schema";
        assertThat(API.violations(resend429, tooManyWithoutRetryAfter)).isNotEmpty();
    }
}
