/**
 * The JSON API under {@code /v1}: verifications ({@link io.otpgate.server.api.VerificationRoutes})
 * and webhook endpoints ({@link io.otpgate.server.api.WebhookRoutes}), their response records
 * ({@link io.otpgate.server.api.Responses}). Requests are read with {@link io.otpgate.server.Json},
 * errors raised as {@link io.otpgate.server.ApiProblem}.
 */
package io.otpgate.server.api;
