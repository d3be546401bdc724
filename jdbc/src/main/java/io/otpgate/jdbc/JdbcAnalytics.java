package io.otpgate.jdbc;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Histogram;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.analytics.Rollup;
import io.otpgate.core.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The hourly analytics rollup on JDBC: {@link Rollup} recomputes it, {@link AnalyticsReader} reads
 * it.
 *
 * <p>An hour's rows are recomputed whole from its verifications (delete, then insert, in one
 * transaction), so running twice, or after a crash in the middle, gives the same rows. The hours to
 * recompute are those of the verifications with an event since the last run: every change a figure
 * depends on (start, email accepted or failed, wrong code, decision, expiry) writes one.
 */
final class JdbcAnalytics implements AnalyticsReader, Rollup {

    /**
     * How far before the last run the next one looks: an event is stamped when its transaction
     * runs, so one committed just after a run can carry a time a little before it. A few seconds
     * would do; re-reading a few minutes of events costs little.
     */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private static final String PROGRESS = "rollup";
    private static final List<String> COLUMNS = List.of(
            "started",
            "delivered",
            "undeliverable",
            "approved",
            "expired",
            "exhausted",
            "canceled",
            "wrong_codes",
            "mailboxes",
            "mailboxes_approved");
    private static final String VERIFY = "verify";
    private static final String DELIVERY = "delivery";

    private enum Dimension {
        TOTAL,
        DOMAIN,
        LANGUAGE;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Transactions tx;

    JdbcAnalytics(Transactions tx) {
        this.tx = tx;
    }

    // ---- Rollup ------------------------------------------------------------------------------

    private record TenantHour(String tenant, Instant hour) {}

    @Override
    public int rollUp(Instant now, BooleanSupplier stillHeld) {
        Instant since = tx.read(JdbcAnalytics::rolledUntil).minus(MARGIN);
        Set<TenantHour> dirty = tx.read(c -> changedHours(c, since));
        for (TenantHour hour : dirty) {
            if (!stillHeld.getAsBoolean()) {
                return 0; // the mark stays: the next holder recomputes every hour changed since
            }
            tx.write(c -> {
                recompute(c, hour);
                return null;
            });
        }
        tx.write(c -> Sql.update(c, """
          INSERT INTO stats_rollup_progress (name, rolled_until) VALUES (?, ?)
          ON CONFLICT (name) DO UPDATE SET rolled_until = excluded.rolled_until
          """, PROGRESS, now));
        return dirty.size();
    }

    private static Instant rolledUntil(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        Sql.prepare(c, "SELECT rolled_until FROM stats_rollup_progress WHERE name = ?", PROGRESS);
                ResultSet rs = ps.executeQuery()) {
            // Never run: every event there is, so an upgraded database rolls up what it still holds.
            return rs.next() ? Sql.instant(rs, "rolled_until") : Instant.EPOCH.plus(MARGIN);
        }
    }

    private static Set<TenantHour> changedHours(Connection c, Instant since) throws SQLException {
        Set<TenantHour> hours = new LinkedHashSet<>();
        try (PreparedStatement ps = Sql.prepare(c, """
          SELECT DISTINCT v.tenant, v.created_at FROM verification_events e
            JOIN verifications v ON v.id = e.verification_id
           WHERE e.occurred_at >= ?
          """, since);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                hours.add(new TenantHour(
                        rs.getString("tenant"), Sql.instant(rs, "created_at").truncatedTo(ChronoUnit.HOURS)));
            }
        }
        return hours;
    }

    /** One verification's part in the figures. */
    private record Row(
            String id,
            String domain,
            String language,
            String mailbox,
            String status,
            Instant createdAt,
            Instant decidedAt,
            long wrongCodes) {}

    /** What became of a verification's emails. */
    private static final class Emails {
        boolean sent;
        boolean failed;
        final List<Duration> latencies = new ArrayList<>();
    }

    /** The figures of one slice of an hour, built row by row. */
    private static final class Tally {
        long started;
        long delivered;
        long undeliverable;
        long approved;
        long expired;
        long exhausted;
        long canceled;
        long wrongCodes;
        final Set<String> mailboxes = new HashSet<>();
        final Set<String> approvedMailboxes = new HashSet<>();

        void add(Row r, Emails emails) {
            started++;
            if (emails.sent) {
                delivered++;
            } else if (emails.failed) {
                undeliverable++;
            }
            switch (r.status()) {
                case "approved" -> {
                    approved++;
                    approvedMailboxes.add(r.mailbox());
                }
                case "expired" -> expired++;
                case "failed" -> exhausted++;
                case "canceled" -> canceled++;
                default -> {
                    // pending: counted as started only, until it is decided
                }
            }
            wrongCodes += r.wrongCodes();
            mailboxes.add(r.mailbox());
        }

        Object[] values() {
            return new Object[] {
                started,
                delivered,
                undeliverable,
                approved,
                expired,
                exhausted,
                canceled,
                wrongCodes,
                (long) mailboxes.size(),
                (long) approvedMailboxes.size()
            };
        }
    }

    private static void recompute(Connection c, TenantHour th) throws SQLException {
        Instant end = th.hour().plus(Duration.ofHours(1));
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, """
          SELECT v.id, v.email, v.mailbox_key, v.locale, v.status, v.created_at, v.decided_at,
                 (SELECT COUNT(*) FROM verification_events e
                   WHERE e.verification_id = v.id AND e.type = 'code.incorrect') AS wrong_codes
            FROM verifications v WHERE v.tenant = ? AND v.created_at >= ? AND v.created_at < ?
          """, th.tenant(), th.hour(), end);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String email = rs.getString("email");
                rows.add(new Row(
                        rs.getString("id"),
                        email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT),
                        rs.getString("locale"),
                        rs.getString("mailbox_key"),
                        rs.getString("status"),
                        Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "decided_at"),
                        rs.getLong("wrong_codes")));
            }
        }
        Map<String, Emails> emails = new HashMap<>();
        try (PreparedStatement ps = Sql.prepare(c, """
          SELECT o.verification_id, o.status, o.created_at, o.sent_at FROM outbox o
            JOIN verifications v ON v.id = o.verification_id
           WHERE v.tenant = ? AND v.created_at >= ? AND v.created_at < ?
          """, th.tenant(), th.hour(), end);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Emails e = emails.computeIfAbsent(rs.getString("verification_id"), id -> new Emails());
                Instant sentAt = Sql.instant(rs, "sent_at");
                if (sentAt != null) {
                    e.sent = true;
                    e.latencies.add(Duration.between(Sql.instant(rs, "created_at"), sentAt));
                } else if ("failed".equals(rs.getString("status"))) {
                    e.failed = true;
                }
            }
        }

        Tally total = new Tally();
        Map<String, Tally> domains = new HashMap<>();
        Map<String, Tally> languages = new HashMap<>();
        long[] verify = new long[Histogram.BOUNDS.size()];
        long[] delivery = new long[Histogram.BOUNDS.size()];
        for (Row r : rows) {
            Emails e = emails.getOrDefault(r.id(), new Emails());
            total.add(r, e);
            domains.computeIfAbsent(r.domain(), d -> new Tally()).add(r, e);
            languages.computeIfAbsent(r.language(), l -> new Tally()).add(r, e);
            if ("approved".equals(r.status()) && r.decidedAt() != null) {
                verify[Histogram.bucketOf(Duration.between(r.createdAt(), r.decidedAt()))]++;
            }
            e.latencies.forEach(d -> delivery[Histogram.bucketOf(d)]++);
        }

        Sql.update(c, "DELETE FROM stats_hourly WHERE tenant = ? AND hour = ?", th.tenant(), th.hour());
        Sql.update(c, "DELETE FROM stats_latency WHERE tenant = ? AND hour = ?", th.tenant(), th.hour());
        List<Object[]> hourly = new ArrayList<>();
        if (!rows.isEmpty()) {
            hourly.add(hourly(th, Dimension.TOTAL, "", total));
        }
        domains.forEach((d, t) -> hourly.add(hourly(th, Dimension.DOMAIN, d, t)));
        languages.forEach((l, t) -> hourly.add(hourly(th, Dimension.LANGUAGE, l, t)));
        Sql.batch(
                c,
                "INSERT INTO stats_hourly (tenant, dimension, hour, value, %s) VALUES (?, ?, ?, ?, %s)"
                        .formatted(String.join(", ", COLUMNS), Sql.marks(COLUMNS.size())),
                hourly);
        List<Object[]> latency = new ArrayList<>();
        for (int i = 0; i < verify.length; i++) {
            if (verify[i] > 0) {
                latency.add(new Object[] {th.tenant(), VERIFY, th.hour(), i, verify[i]});
            }
            if (delivery[i] > 0) {
                latency.add(new Object[] {th.tenant(), DELIVERY, th.hour(), i, delivery[i]});
            }
        }
        Sql.batch(c, "INSERT INTO stats_latency (tenant, metric, hour, bucket, count) VALUES (?, ?, ?, ?, ?)", latency);
    }

    private static Object[] hourly(TenantHour th, Dimension dimension, String value, Tally tally) {
        return Stream.concat(Stream.of(th.tenant(), dimension.column(), th.hour(), value), Stream.of(tally.values()))
                .toArray();
    }

    // ---- Reading -----------------------------------------------------------------------------

    /** Languages listed at most: there are a few dozen templates, so this only bounds bad data. */
    private static final int MAX_LANGUAGES = 50;

    @Override
    public Analytics read(Tenant tenant, Period period, Instant now) {
        Instant from = period.from(now);
        Instant until = Period.until(now);
        return tx.read(c -> {
            List<Analytics.Point> overTime = overTime(c, tenant, period, from, until);
            return new Analytics(
                    tenant,
                    period,
                    from,
                    until,
                    overTime.stream().map(Analytics.Point::counts).reduce(Counts.ZERO, Counts::plus),
                    overTime,
                    histogram(c, tenant, VERIFY, from, until),
                    histogram(c, tenant, DELIVERY, from, until),
                    slices(c, tenant, Dimension.DOMAIN, from, until, Analytics.TOP_DOMAINS),
                    slices(c, tenant, Dimension.LANGUAGE, from, until, MAX_LANGUAGES));
        });
    }

    @Override
    public Map<Tenant, Counts> totals() {
        String sums = COLUMNS.stream().map(col -> "SUM(" + col + ")").collect(Collectors.joining(", "));
        return tx.read(c -> {
            Map<Tenant, Counts> totals = new TreeMap<>(Comparator.comparing(Tenant::name));
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT tenant, %s FROM stats_hourly WHERE dimension = 'total' GROUP BY tenant"
                                    .formatted(sums));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    totals.put(new Tenant(rs.getString("tenant")), counts(rs, 2));
                }
            }
            return totals;
        });
    }

    private static List<Analytics.Point> overTime(
            Connection c, Tenant tenant, Period period, Instant from, Instant until) throws SQLException {
        long step = period.step().toMillis();
        int size = (int) ((Duration.between(from, until).toMillis() + step - 1) / step);
        Counts[] points = new Counts[size];
        Arrays.fill(points, Counts.ZERO);
        try (PreparedStatement ps =
                        Sql.prepare(c, """
          SELECT hour, %s FROM stats_hourly
           WHERE tenant = ? AND dimension = 'total' AND hour >= ? AND hour < ?
          """.formatted(String.join(", ", COLUMNS)), tenant.name(), from, until);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = (int) (Duration.between(from, Sql.instant(rs, "hour")).toMillis() / step);
                points[i] = points[i].plus(counts(rs, 2));
            }
        }
        List<Analytics.Point> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            list.add(new Analytics.Point(from.plus(period.step().multipliedBy(i)), points[i]));
        }
        return list;
    }

    private static List<Analytics.Slice> slices(
            Connection c, Tenant tenant, Dimension dimension, Instant from, Instant until, int limit)
            throws SQLException {
        String sums = COLUMNS.stream().map(col -> "SUM(" + col + ")").collect(Collectors.joining(", "));
        List<Analytics.Slice> slices = new ArrayList<>();
        try (PreparedStatement ps =
                        Sql.prepare(c, """
          SELECT value, %s FROM stats_hourly
           WHERE tenant = ? AND dimension = ? AND hour >= ? AND hour < ?
           GROUP BY value ORDER BY SUM(started) DESC, value LIMIT ?
          """.formatted(sums), tenant.name(), dimension.column(), from, until, limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                slices.add(new Analytics.Slice(rs.getString("value"), counts(rs, 2)));
            }
        }
        return slices;
    }

    private static Counts counts(ResultSet rs, int first) throws SQLException {
        long[] v = new long[COLUMNS.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.getLong(first + i);
        }
        return new Counts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static Histogram histogram(Connection c, Tenant tenant, String metric, Instant from, Instant until)
            throws SQLException {
        long[] counts = new long[Histogram.BOUNDS.size()];
        try (PreparedStatement ps = Sql.prepare(c, """
          SELECT bucket, SUM(count) FROM stats_latency
           WHERE tenant = ? AND metric = ? AND hour >= ? AND hour < ?
           GROUP BY bucket
          """, tenant.name(), metric, from, until);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts[rs.getInt(1)] = rs.getLong(2);
            }
        }
        return new Histogram(counts);
    }
}
