package io.otpgate.cli;

import io.otpgate.cli.ApiKeyBootstrap.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the banner says about API keys, making one on the first start if none exists at all. */
final class ApiKeyBanner {

    private ApiKeyBanner() {}

    static String describe(OtpGate app) {
        Outcome outcome =
                ApiKeyBootstrap.ensureKey(app.apiKeys(), app.settings().dataDir());
        return switch (outcome.kind()) {
            case GENERATED -> {
                Outcome.Generated generated = (Outcome.Generated) outcome;
                yield "generated one for you in " + generated.file() + " (id "
                        + generated.key().id() + "); use it as Authorization: Bearer <key>";
            }
            case NO_ACTIVE_KEY ->
                "NONE ACTIVE: every API request will be refused; create one with: otpgate keys create";
            case KEYS_EXIST -> {
                Path file = app.settings().dataDir().resolve(ApiKeyBootstrap.FILE_NAME);
                yield Files.exists(file) ? "in " + file + " (or from otpgate keys)" : "configured (otpgate keys list)";
            }
        };
    }
}
