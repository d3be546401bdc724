/**
 * The history of each verification: its event types, a wire contract shared by the API and the
 * webhooks, and the event record the store writes in the transaction that causes it. It depends on
 * no other package, so the verification, retention and webhook packages can all speak of events.
 */
package io.otpgate.core.event;
