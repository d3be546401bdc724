package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.apikey.ApiKeys;
import io.otpgate.core.apikey.CreatedApiKey;
import io.otpgate.core.apikey.RevokeResult;
import io.otpgate.core.tenant.Tenant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** API keys for the HTTP API: {@code otpgate keys create|list|revoke}. None of them sends email. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @ParentCommand
    Main main;

    @Override
    public void run() {
        CommandLine.usage(this, main.terminal.out());
    }

    /** Creates a key and shows it, the only time it can be shown. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an API key and print it once; only its hash is stored.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                defaultValue = "unnamed",
                description = "What the key is for, shown by 'keys list' (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                defaultValue = "default",
                converter = TenantConverter.class,
                description = "The tenant whose verifications the key starts and sees (default: ${DEFAULT-VALUE}).")
        Tenant tenant;

        @Option(
                names = "--scope",
                paramLabel = "SCOPE",
                defaultValue = "full",
                converter = ScopeConverter.class,
                description = "full, or read: GET /v1/stats and the /dashboard sign-in only, a key fit for a"
                        + " browser (default: ${DEFAULT-VALUE}).")
        ApiKey.Scope scope;

        @Override
        public Integer call() {
            Terminal t = parent.main.terminal;
            Validated<String> checked = ApiKeys.checkName(name);
            if (checked instanceof Validated.Invalid<String> invalid) {
                t.warn("otpgate: " + invalid.reason());
                return Main.USAGE;
            }
            try (OtpGate app = parent.main.openWithoutDelivery()) {
                CreatedApiKey created = app.apiKeys().create(checked.orElseThrow(), tenant, scope);
                t.say("Created " + (scope == ApiKey.Scope.READ ? "read-only " : "") + "API key "
                        + created.key().id() + " (" + created.key().name() + ", tenant " + tenant + "):");
                t.say("");
                t.say("    " + created.plaintext().reveal());
                t.say("");
                t.say("Store it now: it cannot be shown again. OTPGate keeps only its SHA-256 hash.");
                t.say("Send it as: Authorization: Bearer <key>");
                created.plaintext().wipe();
                return 0;
            }
        }
    }

    /** Lists stored keys and the ids of environment keys; never a secret. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List API keys: id, name, tenant, scope, created, status. Keys are never shown.")
    static final class ListKeys implements Callable<Integer> {

        private static final String ROW = "%-14s  %-28s  %-16s  %-5s  %-20s  %s";

        @ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            Terminal t = parent.main.terminal;
            try (OtpGate app = parent.main.openWithoutDelivery()) {
                List<ApiKey> keys = app.apiKeys().list();
                if (keys.isEmpty()) {
                    t.say("No API keys. Create one with: otpgate keys create --name NAME");
                    return 0;
                }
                t.say(String.format(ROW, "ID", "NAME", "TENANT", "SCOPE", "CREATED", "STATUS")
                        .stripTrailing());
                for (ApiKey key : keys) {
                    boolean environment = key.source() == ApiKey.Source.ENVIRONMENT;
                    t.say(String.format(
                            ROW,
                            key.id(),
                            key.name(),
                            key.tenant(),
                            key.scope().wireName(),
                            environment ? "-" : key.createdAt().truncatedTo(ChronoUnit.SECONDS),
                            status(key)));
                }
                return 0;
            }
        }

        private static String status(ApiKey key) {
            if (key.source() == ApiKey.Source.ENVIRONMENT) {
                return "active (from OTPGATE_API_KEYS)";
            }
            return key.revokedAt()
                    .map(at -> "revoked " + at.truncatedTo(ChronoUnit.SECONDS))
                    .orElse("active");
        }
    }

    /** Revokes a stored key: requests with it are refused from the next one on, in every process. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke an API key; requests with it are refused from now on.")
    static final class Revoke implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Parameters(paramLabel = "ID", description = "The key's id, as 'keys list' shows it.")
        String id;

        @Override
        public Integer call() {
            Terminal t = parent.main.terminal;
            try (OtpGate app = parent.main.openWithoutDelivery()) {
                RevokeResult result = app.apiKeys().revoke(id.strip());
                switch (result.kind()) {
                    case REVOKED -> {
                        ApiKey key = ((RevokeResult.Revoked) result).key();
                        t.say("Revoked " + key.id() + " (" + key.name() + "). Requests with it are refused.");
                        return 0;
                    }
                    case ALREADY_REVOKED -> {
                        ApiKey key = ((RevokeResult.AlreadyRevoked) result).key();
                        t.say("Not revoked: " + key.id() + " was already revoked at "
                                + key.revokedAt().orElseThrow() + ".");
                    }
                    case FROM_ENVIRONMENT ->
                        t.say("Not revoked: "
                                + ((RevokeResult.FromEnvironment) result).key().id()
                                + " comes from OTPGATE_API_KEYS. Remove it there and restart the server.");
                    case NOT_FOUND -> t.say("No such API key: " + id.strip() + " (see otpgate keys list)");
                }
                return 1;
            }
        }
    }
}
