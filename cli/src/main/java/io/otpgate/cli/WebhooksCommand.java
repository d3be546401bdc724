package io.otpgate.cli;

import io.otpgate.core.event.EventType;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookDelivery;
import io.otpgate.core.webhook.Webhooks;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * A tenant's webhook endpoints: {@code otpgate webhooks add|list|remove|test|deliveries|replay}.
 * Each command queues or reads; {@code serve} delivers.
 */
@Command(
        name = "webhooks",
        mixinStandardHelpOptions = true,
        description = "Add, list, remove and test webhook endpoints; show and replay their deliveries.",
        subcommands = {
            WebhooksCommand.Add.class,
            WebhooksCommand.ListWebhooks.class,
            WebhooksCommand.Remove.class,
            WebhooksCommand.Test.class,
            WebhooksCommand.Deliveries.class,
            WebhooksCommand.Replay.class
        })
final class WebhooksCommand implements Runnable {

    @ParentCommand
    Main main;

    @Override
    public void run() {
        CommandLine.usage(this, main.terminal.out());
    }

    /** The tenant every subcommand acts for: another tenant's endpoints are as if they did not exist. */
    static final class TenantOption {
        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                defaultValue = "default",
                converter = TenantConverter.class,
                description = "The tenant whose endpoints these are (default: ${DEFAULT-VALUE}).")
        Tenant tenant;
    }

    /** Opens the application without delivery, runs {@code work} on its webhooks, closes it. */
    private static int withWebhooks(WebhooksCommand parent, Work work) {
        try (OtpGate app = parent.main.openWithoutDelivery()) {
            return work.run(app.webhooks(), parent.main.terminal);
        }
    }

    private interface Work {
        int run(Webhooks webhooks, Terminal t);
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Register an endpoint and print its signing secret once.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Parameters(paramLabel = "URL", description = "Where to post events: an http or https URL.")
        String url;

        @Option(
                names = "--events",
                paramLabel = "TYPES",
                split = ",",
                description = "Event types to send, comma-separated (default: all).")
        List<String> events = List.of();

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                Webhooks.AddResult result = webhooks.add(tenant.tenant, url, events);
                if (result.kind() == Webhooks.AddResult.Kind.REFUSED) {
                    t.warn("otpgate: webhook not added: " + ((Webhooks.AddResult.Refused) result).reason());
                    return Main.USAGE;
                }
                Webhooks.AddResult.Added added = (Webhooks.AddResult.Added) result;
                t.say("Added webhook " + added.webhook().id() + " (tenant " + tenant.tenant + ") for "
                        + added.webhook().url() + ", events: " + describe(added.webhook()) + ".");
                t.say("Signing secret (Standard Webhooks), shown only now:");
                t.say("");
                t.say("    " + added.secret().reveal());
                t.say("");
                t.say("Verify each request's webhook-signature header with it.");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's endpoints.")
    static final class ListWebhooks implements Callable<Integer> {
        private static final String ROW = "%-29s  %-20s  %-40s  %s";

        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                List<Webhook> all = webhooks.list(tenant.tenant);
                if (all.isEmpty()) {
                    t.say("No webhooks for tenant " + tenant.tenant + ". Add one with: otpgate webhooks add URL");
                    return 0;
                }
                t.say(String.format(ROW, "ID", "CREATED", "URL", "EVENTS / STATUS")
                        .stripTrailing());
                for (Webhook w : all) {
                    t.say(String.format(
                            ROW,
                            w.id(),
                            w.createdAt().truncatedTo(ChronoUnit.SECONDS),
                            w.url(),
                            describe(w)
                                    + w.disabled()
                                            .map(d -> "  DISABLED " + d.at().truncatedTo(ChronoUnit.SECONDS) + ": "
                                                    + d.reason())
                                            .orElse("")));
                }
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an endpoint and its deliveries.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Parameters(paramLabel = "ID", description = "The endpoint's id, as 'webhooks list' shows it.")
        String id;

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                if (!webhooks.remove(tenant.tenant, id.strip())) {
                    t.say("No such webhook for tenant " + tenant.tenant + ": " + id.strip());
                    return 1;
                }
                t.say("Removed webhook " + id.strip() + ".");
                return 0;
            });
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Queue a signed webhook.test message to an endpoint (serve delivers it).")
    static final class Test implements Callable<Integer> {
        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Parameters(paramLabel = "ID", description = "The endpoint's id.")
        String id;

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                if (!webhooks.test(tenant.tenant, id.strip())) {
                    t.say("No such webhook for tenant " + tenant.tenant + ": " + id.strip());
                    return 1;
                }
                t.say("Queued a webhook.test message; see: otpgate webhooks deliveries " + id.strip());
                return 0;
            });
        }
    }

    @Command(
            name = "deliveries",
            mixinStandardHelpOptions = true,
            description = "Show an endpoint's newest deliveries.")
    static final class Deliveries implements Callable<Integer> {
        private static final String ROW = "%-30s  %-22s  %-10s  %-8s  %-20s  %s";

        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Parameters(paramLabel = "ID", description = "The endpoint's id.")
        String id;

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                Optional<List<WebhookDelivery>> log = webhooks.deliveries(tenant.tenant, id.strip());
                if (log.isEmpty()) {
                    t.say("No such webhook for tenant " + tenant.tenant + ": " + id.strip());
                    return 1;
                }
                t.say(String.format(ROW, "DELIVERY", "TYPE", "STATUS", "ATTEMPTS", "CREATED", "LAST ANSWER")
                        .stripTrailing());
                for (WebhookDelivery d : log.get()) {
                    t.say(String.format(
                                    ROW,
                                    d.id(),
                                    d.eventType(),
                                    d.status(),
                                    d.attempts(),
                                    d.createdAt().truncatedTo(ChronoUnit.SECONDS),
                                    d.responseStatus().map(s -> "HTTP " + s).orElse("")
                                            + d.lastError().map(e -> " " + e).orElse(""))
                            .stripTrailing());
                }
                return 0;
            });
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = "Queue a delivered or failed delivery again, with the same id and body.")
    static final class Replay implements Callable<Integer> {
        @ParentCommand
        WebhooksCommand parent;

        @CommandLine.Mixin
        TenantOption tenant;

        @Parameters(
                paramLabel = "DELIVERY",
                description = "The delivery's id (msg_...), as 'webhooks deliveries' shows it.")
        String id;

        @Override
        public Integer call() {
            return withWebhooks(parent, (webhooks, t) -> {
                if (!webhooks.replay(tenant.tenant, id.strip())) {
                    t.say("No finished delivery " + id.strip() + " for tenant " + tenant.tenant);
                    return 1;
                }
                t.say("Queued " + id.strip() + " again.");
                return 0;
            });
        }
    }

    private static String describe(Webhook w) {
        return w.events().isEmpty()
                ? "all"
                : w.events().stream().map(EventType::wireName).sorted().collect(Collectors.joining(","));
    }
}
