package io.otpgate.cli;

import io.otpgate.core.apikey.ApiKey;

/** Reads {@code --scope full|read}. */
final class ScopeConverter extends ValidatedConverter<ApiKey.Scope> {
    ScopeConverter() {
        super(ApiKey.Scope::parse);
    }
}
