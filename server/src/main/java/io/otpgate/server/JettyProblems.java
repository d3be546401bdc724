package io.otpgate.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises itself, before a request reaches a route (an undecodable path, a URI or
 * headers too large): answered as RFC 9457 problems like every other error, not as an HTML page.
 */
final class JettyProblems extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 400;
        ApiProblem problem = status >= 500
                ? ApiProblem.internal()
                : ApiProblem.unreadable(status, "the server could not read this request");
        String requestId = RequestIds.accept(null);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Http.PROBLEM_JSON);
        response.getHeaders().put("X-Request-Id", requestId);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Cache-Control", "no-store");
        byte[] body = Json.write(problem.body("", requestId));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
