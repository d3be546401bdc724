/**
 * The HTTP server: {@link io.otpgate.server.HttpServer} wires the API ({@code api}) and the pages
 * ({@code pages}) onto Javalin, with what both share: request reading ({@link
 * io.otpgate.server.Http}, {@link io.otpgate.server.Json}), one problem type for every error
 * ({@link io.otpgate.server.ApiProblem}), client addresses, security headers, metrics, health and
 * the webhook HTTP client.
 */
package io.otpgate.server;
