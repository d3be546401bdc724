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

  static String apiKeyId(Context ctx) {
    return ctx.attribute(API_KEY_ID);
  }

  static String requestId(Context ctx) {
    String id = ctx.attribute(REQUEST_ID);
    return id == null ? "-" : id;
  }
}
