/**
 * API keys: creation, listing, revocation and authentication.
 *
 * <p>API: {@link io.otpgate.core.apikey.ApiKeys}, {@link io.otpgate.core.apikey.ApiKey}, {@link
 * io.otpgate.core.apikey.CreatedApiKey}, {@link io.otpgate.core.apikey.PlaintextKey}, {@link
 * io.otpgate.core.apikey.RevokeResult}. Store SPI: {@link io.otpgate.core.apikey.ApiKeyStore}. The
 * key format and the keys from the environment stay package-private: only their hashes leave.
 */
package io.otpgate.core.apikey;
