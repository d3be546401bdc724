/**
 * The history of each verification: its event types (a wire contract shared by the API and the
 * webhooks), and the sweeper that marks expirations so that {@code verification.expired} happens
 * without anyone asking.
 */
package io.otpgate.core.event;
