package io.otpgate.server;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.Optional;

/** Turns everything that is not an {@link ApiProblem} into one, so every error has the same shape. */
final class Errors {

    private Errors() {}

    static ApiProblem fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> ApiProblem.payloadTooLarge();
            case 404 -> ApiProblem.notFound("no such resource");
            case 405 ->
                new ApiProblem(
                        405,
                        "invalid_request",
                        "Method not allowed",
                        "this resource does not accept that method",
                        Optional.empty());
            default ->
                e.getStatus() >= 500
                        ? internal()
                        : new ApiProblem(
                                e.getStatus(),
                                "invalid_request",
                                "Invalid request",
                                "the request was refused",
                                Optional.empty());
        };
    }

    static ApiProblem internal() {
        return new ApiProblem(
                500,
                "internal",
                "Internal error",
                "something went wrong on our side; quote the request_id when you report it",
                Optional.empty());
    }

    /**
     * A {@code Content-Type} whose charset Java cannot name ({@code charset="}) is refused up front,
     * as 415. Jetty parses the charset lazily and throws deep inside whatever reads the type or the
     * form first, which was a 500 on every route that reads either.
     */
    static void requireKnownCharset(Context ctx) {
        if (ctx.header("Content-Type") == null) {
            return;
        }
        try {
            ctx.req().getContentType();
            ctx.req().getCharacterEncoding();
        } catch (IllegalArgumentException unknownCharset) {
            throw new ApiProblem(
                    415,
                    "invalid_request",
                    "Unsupported media type",
                    "the charset of Content-Type is not one this server knows; send UTF-8",
                    Optional.empty());
        }
    }

    /** API bodies are JSON; anything else is refused before it is parsed. */
    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(Http.JSON)) {
            return;
        }
        if (type == null && ctx.req().getContentLengthLong() <= 0) {
            return; // resend and cancel have no body
        }
        throw new ApiProblem(
                415,
                "invalid_request",
                "Unsupported media type",
                "send the body as Content-Type: application/json",
                Optional.empty());
    }
}
