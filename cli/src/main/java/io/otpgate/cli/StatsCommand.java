package io.otpgate.cli;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Histogram;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.policy.DurationText;
import io.otpgate.core.tenant.Tenant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A tenant's analytics in the terminal: the figures of {@code /v1/stats?since=} and the dashboard,
 * from the hourly rollup.
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Show a tenant's funnel, conversion, timings, failures, domains and languages.")
final class StatsCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(
            names = "--since",
            paramLabel = "PERIOD",
            defaultValue = "24h",
            converter = PeriodConverter.class,
            description = "1h, 24h, 7d or 30d (default: ${DEFAULT-VALUE}).")
    Period period;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            defaultValue = "default",
            converter = TenantConverter.class,
            description = "The tenant whose figures to show (default: ${DEFAULT-VALUE}).")
    Tenant tenant;

    @Override
    public Integer call() {
        Terminal t = main.terminal;
        try (OtpGate app = main.openWithoutDelivery()) {
            // Brings the rollup up to date when no serving instance holds the sweeper's lease (one
            // that does has rolled up within its interval).
            app.expirySweeper().runOnce();
            print(t, app.database().analytics().read(tenant, period, app.clock().instant()));
            return 0;
        }
    }

    static void print(Terminal t, Analytics a) {
        Counts c = a.total();
        t.say("Tenant " + a.tenant() + ", last " + a.period().wireName() + " (" + a.from() + " to " + a.until()
                + "), by hour of start");
        t.say("");
        t.say("Funnel");
        t.say(row("  started", c.started(), Optional.empty()));
        t.say(row("  delivered", c.delivered(), share(c.delivered(), c.started())));
        t.say(row("  approved", c.approved(), share(c.approved(), c.started())));
        t.say("Conversion            " + percent(c.conversion()) + " (" + c.mailboxesApproved() + " of " + c.mailboxes()
                + " mailboxes)");
        t.say("Time to verify        " + percentiles(a.timeToVerify(), "p50", 0.5, "p90", 0.9) + " ("
                + a.timeToVerify().total() + " approved)");
        t.say("Delivery latency      " + percentiles(a.deliveryLatency(), "p50", 0.5, "p99", 0.99) + " ("
                + a.deliveryLatency().total() + " accepted)");
        t.say("");
        t.say("Failures");
        t.say(row("  wrong code", c.wrongCodes(), Optional.empty()));
        t.say(row("  expired", c.expired(), Optional.empty()));
        t.say(row("  attempts exhausted", c.exhausted(), Optional.empty()));
        t.say(row("  canceled", c.canceled(), Optional.empty()));
        t.say(row("  undeliverable", c.undeliverable(), Optional.empty()));
        t.say("");
        t.say("Conversion over time (every " + DurationText.format(a.period().step()) + ", empty ones left out)");
        a.overTime().stream()
                .filter(p -> p.counts().started() > 0)
                .forEach(p -> t.say(String.format(
                        Locale.ROOT,
                        "  %-22s started %6d  approved %6d  %s",
                        p.from(),
                        p.counts().started(),
                        p.counts().approved(),
                        percent(p.counts().conversion()))));
        slices(t, "Top domains", "domain", a.domains());
        slices(t, "Languages", "language", a.languages());
    }

    private static void slices(Terminal t, String title, String column, List<Analytics.Slice> slices) {
        t.say("");
        t.say(title);
        t.say(String.format(
                Locale.ROOT,
                "  %-30s %8s %10s %14s %9s %11s",
                column,
                "started",
                "delivered",
                "undeliverable",
                "approved",
                "conversion"));
        for (Analytics.Slice s : slices) {
            Counts c = s.counts();
            t.say(String.format(
                    Locale.ROOT,
                    "  %-30s %8d %10d %14d %9d %11s",
                    s.name(),
                    c.started(),
                    c.delivered(),
                    c.undeliverable(),
                    c.approved(),
                    percent(c.conversion())));
        }
    }

    private static String row(String label, long n, Optional<Double> share) {
        return String.format(
                        Locale.ROOT,
                        "%-22s%8d  %s",
                        label,
                        n,
                        share.map(StatsCommand::percent).orElse(""))
                .stripTrailing();
    }

    private static Optional<Double> share(long part, long whole) {
        return whole == 0 ? Optional.empty() : Optional.of((double) part / whole);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String percent(Optional<Double> ratio) {
        return ratio.map(StatsCommand::percent).orElse("-");
    }

    private static String percentiles(Histogram h, String low, double lowQ, String high, double highQ) {
        return low + " " + bound(h, lowQ) + "  " + high + " " + bound(h, highQ);
    }

    /** A percentile is a bucket's upper bound: "at most". */
    private static String bound(Histogram h, double q) {
        return h.percentile(q).map(d -> "<= " + DurationText.format(d)).orElse("-");
    }
}
