package io.otpgate.bench;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Histogram;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The dashboard's query over a month of a busy tenant (issue 14: 30 days over 1,000,000
 * verifications in under 1 s on both databases, from the rollup). Not a JMH benchmark: it fills the
 * rollup once, as 1,000,000 verifications of the measured tenant over 30 days would leave it (and
 * 4 × 250,000 of other tenants beside them), then times {@code AnalyticsReader.read(tenant, 30d)}
 * against a reference measured on the same database in the same run: one aggregate over the whole
 * rollup table, the work the query would do without its key.
 *
 * <p>{@code java -cp benchmarks.jar io.otpgate.bench.AnalyticsQuery [sqlite|postgresql]…}; prints
 * one {@code RESULT} line per database.
 */
public final class AnalyticsQuery {

  private static final int HOURS = 30 * 24;
  private static final int DOMAINS = 5_000;
  private static final String[] LANGUAGES = {"en", "de", "fr", "es", "pt-BR", "zh", "ar", "hi"};
  private static final double[] LANGUAGE_WEIGHTS = {50, 12, 10, 9, 7, 6, 3, 3};
  private static final int RUNS = 15;
  private static final Tenant MEASURED = new Tenant("bench");

  private AnalyticsQuery() {}

  public static void main(String[] args) throws Exception {
    List<String> kinds = args.length == 0 ? List.of("sqlite", "postgresql") : List.of(args);
    for (String kind : kinds) {
      DatabaseKind db = DatabaseKind.valueOf(kind.toUpperCase(Locale.ROOT));
      Path dir = Files.createTempDirectory("otpgate-analytics-bench");
      TestDatabase where = db.fresh(dir);
      try (Database database = where.open(4)) {
        run(db, database);
      }
    }
  }

  private static void run(DatabaseKind kind, Database database) throws SQLException {
    Instant now = Instant.now();
    Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
    long t0 = System.nanoTime();
    long rows = fill(database, kind == DatabaseKind.SQLITE, firstHour, seeded());
    double fillSeconds = (System.nanoTime() - t0) / 1e9;

    Analytics month = null;
    for (int i = 0; i < 3; i++) {
      month = database.analytics().read(MEASURED, Period.MONTH, now);
      reference(database);
    }
    long[] query = new long[RUNS];
    long[] reference = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long a = System.nanoTime();
      month = database.analytics().read(MEASURED, Period.MONTH, now);
      long b = System.nanoTime();
      reference(database);
      long c = System.nanoTime();
      query[i] = b - a;
      reference[i] = c - b;
    }
    double q = median(query) / 1e6;
    double r = median(reference) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "RESULT db=%s verifications=%d rollup_rows=%d fill_s=%.1f query_30d_ms=%.1f query_30d_max_ms=%.1f"
            + " reference_full_scan_ms=%.1f ratio=%.3f domains_shown=%d%n",
        kind.name().toLowerCase(Locale.ROOT),
        month.total().started(),
        rows,
        fillSeconds,
        q,
        Arrays.stream(query).max().orElse(0) / 1e6,
        r,
        q / r,
        month.domains().size());
  }

  /** One aggregate over every row of the rollup: what the query's key spares it. */
  private static void reference(Database database) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(started), SUM(approved) FROM stats_hourly")) {
      rs.next();
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Figures of one slice of one hour, as the rollup keeps them. */
  private static final class Slice {
    final long[] v = new long[10];
  }

  /**
   * The rollup of the measured tenant's 1,000,000 verifications and of 4 other tenants' 250,000
   * each, over the last 30 days: a daily rhythm, recipient domains from a Zipf distribution over
   * 5,000 (a few webmail domains, a long tail), 8 languages, typical outcomes and timings.
   */
  /**
   * Synthetic rollup rows, not codes or ids, drawn from SecureRandom as everything random in the
   * project is: SHA1PRNG seeded before its first use gives the same stream every run, so every run
   * fills the same table and runs on both databases and on different days compare like with like.
   */
  private static SecureRandom seeded() {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(42);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
    }
  }

  private static long fill(Database database, boolean sqlite, Instant firstHour, Random random)
      throws SQLException {
    double[] domainCdf = zipf(DOMAINS, 1.07);
    double[] languageCdf = cdf(LANGUAGE_WEIGHTS);
    // Sorted, so both databases get the same rows from the same seed.
    Map<String, Integer> tenants = new TreeMap<>(Map.of(
        MEASURED.name(), 1_000_000, "acme", 250_000, "globex", 250_000, "initech", 250_000, "umbrella", 250_000));
    long rows = 0;
    try (Connection c = database.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement hourly = c.prepareStatement("""
              INSERT INTO stats_hourly (tenant, dimension, hour, value, started, delivered, undeliverable,
                approved, expired, exhausted, canceled, wrong_codes, mailboxes, mailboxes_approved)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              """);
          PreparedStatement latency = c.prepareStatement(
              "INSERT INTO stats_latency (tenant, metric, hour, bucket, count) VALUES (?, ?, ?, ?, ?)")) {
        for (Map.Entry<String, Integer> tenant : tenants.entrySet()) {
          double perHour = tenant.getValue() / (double) HOURS;
          long left = tenant.getValue();
          for (int h = 0; h < HOURS; h++) {
            Instant hour = firstHour.plus(Duration.ofHours(h));
            long n = h == HOURS - 1
                ? left
                : Math.min(left, Math.round(perHour * (1 + 0.6 * Math.sin(2 * Math.PI * (h % 24 - 6) / 24))));
            left -= n;
            Slice total = new Slice();
            Map<String, Slice> domains = new HashMap<>();
            Map<String, Slice> languages = new HashMap<>();
            long[] verify = new long[Histogram.BOUNDS.size()];
            long[] delivery = new long[Histogram.BOUNDS.size()];
            for (long i = 0; i < n; i++) {
              String domain = "d" + pick(domainCdf, random) + ".example";
              String language = LANGUAGES[pick(languageCdf, random)];
              long[] outcome = outcome(random, verify, delivery);
              add(total, outcome);
              add(domains.computeIfAbsent(domain, d -> new Slice()), outcome);
              add(languages.computeIfAbsent(language, l -> new Slice()), outcome);
            }
            rows += insert(hourly, sqlite, tenant.getKey(), "total", hour, "", total);
            for (Map.Entry<String, Slice> d : domains.entrySet()) {
              rows += insert(hourly, sqlite, tenant.getKey(), "domain", hour, d.getKey(), d.getValue());
            }
            for (Map.Entry<String, Slice> l : languages.entrySet()) {
              rows += insert(hourly, sqlite, tenant.getKey(), "language", hour, l.getKey(), l.getValue());
            }
            for (int b = 0; b < verify.length; b++) {
              latency(latency, sqlite, tenant.getKey(), "verify", hour, b, verify[b]);
              latency(latency, sqlite, tenant.getKey(), "delivery", hour, b, delivery[b]);
            }
            hourly.executeBatch();
            latency.executeBatch();
            c.commit();
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
      c.commit();
    }
    return rows;
  }

  /** One verification: started, delivered, undeliverable, approved, expired, exhausted, canceled, wrong codes. */
  private static long[] outcome(Random random, long[] verify, long[] delivery) {
    long[] o = new long[10];
    o[0] = 1;
    boolean delivered = random.nextDouble() < 0.97;
    o[1] = delivered ? 1 : 0;
    o[2] = delivered ? 0 : 1;
    if (delivered) {
      delivery[Math.min(Histogram.BOUNDS.size() - 1, (int) Math.abs(random.nextGaussian() * 1.5) + 2)]++;
    }
    double fate = random.nextDouble();
    if (delivered && fate < 0.80) {
      o[3] = 1;
      verify[Math.min(Histogram.BOUNDS.size() - 1, (int) Math.abs(random.nextGaussian() * 2) + 7)]++;
    } else if (fate < 0.93) {
      o[4] = 1;
    } else if (fate < 0.96) {
      o[5] = 1;
      o[7] += 3;
    } else {
      o[6] = 1;
    }
    o[7] += random.nextDouble() < 0.2 ? 1 : 0;
    o[8] = 1; // restarts within an hour are rare: one mailbox per verification, near enough
    o[9] = o[3];
    return o;
  }

  private static void add(Slice slice, long[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      slice.v[i] += outcome[i];
    }
  }

  private static int insert(
      PreparedStatement ps, boolean sqlite, String tenant, String dimension, Instant hour, String value, Slice s)
      throws SQLException {
    ps.setString(1, tenant);
    ps.setString(2, dimension);
    bindHour(ps, 3, sqlite, hour);
    ps.setString(4, value);
    for (int i = 0; i < s.v.length; i++) {
      ps.setLong(5 + i, s.v[i]);
    }
    ps.addBatch();
    return 1;
  }

  private static void latency(
      PreparedStatement ps, boolean sqlite, String tenant, String metric, Instant hour, int bucket, long count)
      throws SQLException {
    if (count == 0) {
      return;
    }
    ps.setString(1, tenant);
    ps.setString(2, metric);
    bindHour(ps, 3, sqlite, hour);
    ps.setInt(4, bucket);
    ps.setLong(5, count);
    ps.addBatch();
  }

  /** As the store binds times: epoch milliseconds on SQLite, a timestamp with time zone on PostgreSQL. */
  private static void bindHour(PreparedStatement ps, int index, boolean sqlite, Instant hour) throws SQLException {
    if (sqlite) {
      ps.setLong(index, hour.toEpochMilli());
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(hour, ZoneOffset.UTC));
    }
  }

  private static double[] zipf(int n, double s) {
    double[] weights = new double[n];
    for (int k = 0; k < n; k++) {
      weights[k] = 1 / Math.pow(k + 1, s);
    }
    return cdf(weights);
  }

  private static double[] cdf(double[] weights) {
    double[] cdf = new double[weights.length];
    double sum = Arrays.stream(weights).sum();
    double run = 0;
    for (int i = 0; i < weights.length; i++) {
      run += weights[i] / sum;
      cdf[i] = run;
    }
    cdf[cdf.length - 1] = 1;
    return cdf;
  }

  private static int pick(double[] cdf, Random random) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return i >= 0 ? i : -i - 1;
  }
}
