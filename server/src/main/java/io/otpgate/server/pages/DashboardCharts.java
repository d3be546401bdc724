package io.otpgate.server.pages;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Histogram;
import io.otpgate.core.policy.DurationText;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dashboard's charts, laid out here and drawn by the templates as SVG: each has a title and a
 * description for screen readers ({@code role="img"}), and the same numbers in a table beside it.
 * All geometry is computed in Java, so the templates stay logic-less.
 */
final class DashboardCharts {

    static final int WIDTH = 640;
    private static final int LABEL_WIDTH = 190;
    private static final int BAR_SPACE = 360;
    private static final int ROW = 28;
    private static final int BAR = 18;
    private static final int COLUMNS_HEIGHT = 160;
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private DashboardCharts() {}

    /** One horizontal bar: its label, value text and geometry. */
    record Bar(String label, String value, int y, int textY, int width, int valueX) {}

    /** One column of a chart over time. */
    record Column(int x, int y, int width, int height) {}

    /** A row of the table beside a chart: its header cell, then the others. */
    record Row(String head, List<String> cells) {}

    /**
     * A chart and its table. {@code bars} or {@code columns} is empty, depending on the kind; the
     * {@code axis} labels the first and last column of a chart over time.
     */
    record Chart(
            String id,
            String title,
            String desc,
            int height,
            List<Bar> bars,
            List<Column> columns,
            String axisStart,
            String axisEnd,
            List<String> headers,
            List<Row> rows) {}

    private record Item(String label, long value, String text) {}

    static List<Chart> of(Analytics a) {
        Counts t = a.total();
        List<Chart> charts = new ArrayList<>();
        charts.add(bars(
                "funnel",
                "Funnel",
                "Of " + t.started() + " verifications started, " + t.delivered() + " were delivered and " + t.approved()
                        + " approved.",
                List.of(
                        new Item("Started", t.started(), count(t.started(), t.started())),
                        new Item("Delivered", t.delivered(), count(t.delivered(), t.started())),
                        new Item("Approved", t.approved(), count(t.approved(), t.started()))),
                List.of("Stage", "Verifications", "Share of started"),
                List.of(
                        new Row("Started", List.of(n(t.started()), share(t.started(), t.started()))),
                        new Row("Delivered", List.of(n(t.delivered()), share(t.delivered(), t.started()))),
                        new Row("Approved", List.of(n(t.approved()), share(t.approved(), t.started()))))));
        charts.add(overTime(a));
        charts.add(histogram(
                "verify",
                "Time to verify",
                a.timeToVerify(),
                "approved",
                "p50 " + bound(a.timeToVerify(), 0.5) + ", p90 " + bound(a.timeToVerify(), 0.9)));
        charts.add(histogram(
                "latency",
                "Delivery latency, queued to accepted",
                a.deliveryLatency(),
                "emails",
                "p50 " + bound(a.deliveryLatency(), 0.5) + ", p99 " + bound(a.deliveryLatency(), 0.99)));
        List<Item> failures = List.of(
                new Item("Wrong code", t.wrongCodes(), n(t.wrongCodes())),
                new Item("Expired", t.expired(), n(t.expired())),
                new Item("Attempts exhausted", t.exhausted(), n(t.exhausted())),
                new Item("Canceled", t.canceled(), n(t.canceled())),
                new Item("Undeliverable", t.undeliverable(), n(t.undeliverable())));
        charts.add(bars(
                "failures",
                "Failure reasons",
                "Wrong codes entered, and verifications expired, out of attempts, canceled or undeliverable.",
                failures,
                List.of("Reason", "Count"),
                failures.stream()
                        .map(i -> new Row(i.label(), List.of(i.text())))
                        .toList()));
        charts.add(slices("domains", "Top recipient domains", "Domain", a.domains()));
        charts.add(slices("languages", "Languages", "Language", a.languages()));
        return charts;
    }

    private static Chart slices(String id, String title, String column, List<Analytics.Slice> slices) {
        List<Item> items = slices.stream()
                .map(s -> new Item(s.name(), s.counts().started(), n(s.counts().started())))
                .toList();
        List<Row> rows = slices.stream()
                .map(s -> new Row(
                        s.name(),
                        List.of(
                                n(s.counts().started()),
                                n(s.counts().delivered()),
                                n(s.counts().undeliverable()),
                                n(s.counts().approved()),
                                percent(s.counts().conversion()))))
                .toList();
        String desc = slices.isEmpty()
                ? "Nothing started in this period."
                : "Verifications started per " + column.toLowerCase(Locale.ROOT) + "; most: "
                        + slices.get(0).name() + " with "
                        + slices.get(0).counts().started() + ".";
        return bars(
                id,
                title,
                desc,
                items,
                List.of(column, "Started", "Delivered", "Undeliverable", "Approved", "Conversion"),
                rows);
    }

    private static Chart histogram(String id, String title, Histogram h, String what, String summary) {
        List<Item> items = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int first = -1;
        int last = -1;
        for (int i = 0; i < Histogram.BOUNDS.size(); i++) {
            if (h.count(i) > 0) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        for (int i = Math.max(0, first); i <= last; i++) {
            String label = "up to " + DurationText.format(Histogram.BOUNDS.get(i));
            items.add(new Item(label, h.count(i), n(h.count(i))));
            rows.add(new Row(label, List.of(n(h.count(i)))));
        }
        String desc = h.total() == 0
                ? "None in this period."
                : h.total() + " " + what + ": " + summary + " (each the upper bound of its bucket).";
        return bars(id, title + " (" + summary + ")", desc, items, List.of("Bucket", capitalised(what)), rows);
    }

    private static Chart overTime(Analytics a) {
        List<Analytics.Point> points = a.overTime();
        int width = BAR_SPACE + LABEL_WIDTH;
        int step = Math.max(1, width / Math.max(1, points.size()));
        List<Column> columns = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Counts c = points.get(i).counts();
            int height = (int) Math.round(c.conversion().orElse(0.0) * (COLUMNS_HEIGHT - 20));
            columns.add(new Column(i * step, COLUMNS_HEIGHT - 20 - height, Math.max(1, step - 2), height));
            if (c.started() > 0) {
                rows.add(new Row(
                        HOUR.format(points.get(i).from()),
                        List.of(n(c.started()), n(c.approved()), percent(c.conversion()))));
            }
        }
        String desc = "Conversion per " + DurationText.format(a.period().step()) + " from "
                + HOUR.format(a.from()) + " UTC: " + rows.size() + " of " + points.size()
                + " points had verifications; overall " + percent(a.total().conversion()) + ".";
        return new Chart(
                "over-time",
                "Conversion over time",
                desc,
                COLUMNS_HEIGHT,
                List.of(),
                columns,
                HOUR.format(a.from()),
                HOUR.format(a.until().minus(a.period().step())),
                List.of("From (UTC)", "Started", "Approved", "Conversion"),
                rows);
    }

    private static Chart bars(
            String id, String title, String desc, List<Item> items, List<String> headers, List<Row> rows) {
        long max = items.stream().mapToLong(Item::value).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int width = max == 0 ? 0 : (int) Math.round((double) item.value() * BAR_SPACE / max);
            int y = i * ROW + 4;
            bars.add(new Bar(item.label(), item.text(), y, y + BAR - 4, width, LABEL_WIDTH + width + 6));
        }
        return new Chart(
                id, title, desc, Math.max(ROW, items.size() * ROW + 4), bars, List.of(), "", "", headers, rows);
    }

    static String n(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String count(long n, long of) {
        return n(n) + (of == 0 ? "" : " (" + share(n, of) + ")");
    }

    private static String share(long n, long of) {
        return of == 0 ? "–" : percent(Optional.of((double) n / of));
    }

    static String percent(Optional<Double> ratio) {
        return ratio.map(r -> String.format(Locale.ROOT, "%.1f%%", r * 100)).orElse("–");
    }

    static String bound(Histogram h, double q) {
        return h.percentile(q).map(d -> "≤ " + DurationText.format(d)).orElse("–");
    }

    private static String capitalised(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
