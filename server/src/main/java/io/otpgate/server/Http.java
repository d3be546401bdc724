package io.otpgate.server;

import io.javalin.http.Context;
import io.otpgate.core.tenant.Tenant;
import java.util.Locale;

/** Reading requests: their body, what they declare it to be, and what earlier handlers attached. */
public final class Http {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String API_CALLER = "otpgate.apiCaller";
    static final String REQUEST_ID = "otpgate.requestId";
    /** The most a refused body is read for, to deliver the 413 cleanly. */
    private static final long DISCARD_LIMIT = 16L * 1024 * 1024;

    private Http() {}

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
            throw ApiProblem.unsupportedMediaType(
                    "the charset of Content-Type is not one this server knows; send UTF-8");
        }
    }

    /** API bodies are JSON; anything else is refused before it is parsed. */
    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            return;
        }
        if (type == null && ctx.req().getContentLengthLong() <= 0) {
            return; // resend and cancel have no body
        }
        throw ApiProblem.unsupportedMediaType("send the body as Content-Type: application/json");
    }

    /**
     * The request body. A body that ends early or has broken chunking is the client's fault: a 400,
     * not a 500 with a stack trace in the log.
     */
    static byte[] body(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (io.javalin.http.HttpResponseException e) {
            if (e.getStatus() == 413) {
                discardBody(ctx);
            }
            throw e;
        } catch (Exception e) {
            // Javalin is Kotlin: Jetty's EofException arrives here although Java sees no checked throw.
            throw ApiProblem.invalidRequest("the request body could not be read completely");
        }
    }

    /**
     * Reads and drops what is left of a body we refuse. A client still sending when the server
     * answers and closes gets "broken pipe" instead of the 413; reading the rest first lets it read
     * the answer. Bounded, so that a client cannot make the server read forever.
     */
    static void discardBody(Context ctx) {
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long left = DISCARD_LIMIT;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
        } catch (Exception e) {
            // The client went away or sent garbage: the 413 is all it will get.
        }
        ctx.header("Connection", "close");
    }

    /** The authenticated key's public id; null before authentication and outside {@code /v1}. */
    public static String apiKeyId(Context ctx) {
        ApiCaller caller = ctx.attribute(API_CALLER);
        return caller == null ? null : caller.keyId();
    }

    /** The authenticated key's tenant: every {@code /v1} handler runs after authentication. */
    public static Tenant tenant(Context ctx) {
        ApiCaller caller = ctx.attribute(API_CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return caller.tenant();
    }

    static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "-" : id;
    }
}
