package io.otpgate.server;

import io.javalin.http.Context;

/** Writing responses and reading what earlier handlers attached to a request. */
final class Http {

  static final String JSON = "application/json";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String API_KEY_ID = "otpgate.apiKeyId";
  static final String REQUEST_ID = "otpgate.requestId";

  private Http() {}

  static void json(Context ctx, Object body) {
    ctx.contentType(JSON).result(Json.write(body));
  }

  /**
   * The request body. A body that ends early or has broken chunking is the client's fault: a 400,
   * not a 500 with a stack trace in the log.
   */
  static byte[] body(Context ctx) {
    try {
      return ctx.bodyAsBytes();
    } catch (io.javalin.http.HttpResponseException e) {
      throw e;
    } catch (Exception e) {
      // Javalin is Kotlin: Jetty's EofException arrives here although Java sees no checked throw.
      throw ApiProblem.invalidRequest("the request body could not be read completely");
    }
  }

  static String apiKeyId(Context ctx) {
    return ctx.attribute(API_KEY_ID);
  }

  static String requestId(Context ctx) {
    String id = ctx.attribute(REQUEST_ID);
    return id == null ? "-" : id;
  }
}
