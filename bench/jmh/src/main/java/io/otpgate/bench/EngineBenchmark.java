package io.otpgate.bench;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.GroupCommitStats;
import io.otpgate.jdbc.Sync;
import io.otpgate.jdbc.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The verification engine in process, on a real database: what one start costs, what a whole
 * verification (start, then the right code) costs, and, as the reference measured in the same
 * run, one durable single-row INSERT committed on its own. Every address is new, so no rate limit
 * is reached and every check is a real approving check.
 *
 * <p>bench/run runs these with its own JMH options (threads, iterations); see BENCHMARKS.md. On
 * SQLite, each trial also prints how the engine's writes combined into commits during the
 * measured iterations, as one {@code GROUPS} line that bench/run reads from JMH's output.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

  private static final ServerSecret SECRET =
      ServerSecret.of(List.of("bench-secret-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)));
  /** The default OTPGATE_DB_POOL_SIZE. */
  private static final int POOL_SIZE = 10;

  /** The embedded file with each OTPGATE_DB_SYNC, and PostgreSQL (synchronous_commit on). */
  public enum Engine {
    SQLITE_FULL(DatabaseKind.SQLITE, Sync.FULL),
    SQLITE_NORMAL(DatabaseKind.SQLITE, Sync.NORMAL),
    POSTGRESQL(DatabaseKind.POSTGRESQL, Sync.FULL);

    private final DatabaseKind kind;
    private final Sync sync;

    Engine(DatabaseKind kind, Sync sync) {
      this.kind = kind;
      this.sync = sync;
    }

    Database open(Path dir) {
      TestDatabase where = kind.fresh(dir);
      return Database.open(where.url(), where.user(), where.password(), POOL_SIZE, sync);
    }
  }

  @Param({"SQLITE_FULL", "SQLITE_NORMAL", "POSTGRESQL"})
  public Engine db;

  private final AtomicLong addresses = new AtomicLong();
  private final String run = Long.toString(System.nanoTime(), 36);
  private Path dir;
  private Database database;
  private InboxStore store;
  private Verifier verifier;
  /**
   * Where {@link #durableInsert} writes. On SQLite one connection for all threads, taken in turn:
   * the file has one writer, and a connection per thread would measure SQLite's busy waits rather
   * than its commit. On PostgreSQL, the pool.
   */
  private Connection sqliteWriter;

  private GroupCommitStats iterationStart;
  private long measuredCommits;
  private long measuredWrites;

  @Setup
  public void open() throws IOException, SQLException {
    dir = Files.createTempDirectory("otpgate-jmh");
    database = db.open(dir);
    SecureRandom random = new SecureRandom();
    store = new InboxStore(database.verifications(), new CodeSealer(SECRET, random));
    verifier = Verifier.builder().store(store).secret(SECRET).random(random).build();
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_write (id BIGINT PRIMARY KEY, note VARCHAR(64) NOT NULL)");
    }
    if (db.kind == DatabaseKind.SQLITE) {
      sqliteWriter = database.dataSource().getConnection();
    }
  }

  @Setup(Level.Iteration)
  public void beforeIteration() {
    iterationStart = database.groupCommits().orElse(null);
  }

  /** Adds the measured iterations' commits and writes (warm-up left out). */
  @TearDown(Level.Iteration)
  public void afterIteration(IterationParams iteration) {
    GroupCommitStats now = database.groupCommits().orElse(null);
    if (now != null && iteration.getType() == IterationType.MEASUREMENT) {
      measuredCommits += now.commits() - iterationStart.commits();
      measuredWrites += now.writes() - iterationStart.writes();
    }
  }

  @TearDown
  public void close(BenchmarkParams params) throws IOException, SQLException {
    database.groupCommits()
        .ifPresent(stats -> System.out.printf(
            "GROUPS benchmark=%s db=%s commits=%d writes=%d largest=%d%n",
            params.getBenchmark().replaceAll(".*\\.", ""),
            db,
            measuredCommits,
            measuredWrites,
            stats.largestGroup()));
    if (sqliteWriter != null) {
      sqliteWriter.close();
    }
    database.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One verification started: validation, code, HMAC, sealing, limits and rows in one transaction. */
  @Benchmark
  public Verification start() {
    return started(verifier.start(StartRequest.of(nextAddress())));
  }

  /** A whole verification: started, then checked once with the code from its email. */
  @Benchmark
  public CheckResult startAndCheck() {
    Verification v = started(verifier.start(StartRequest.of(nextAddress())));
    CheckResult result = verifier.check(Tenant.DEFAULT, v.id(), store.codeOf(v.id()));
    if (!(result instanceof CheckResult.Approved)) {
      throw new IllegalStateException("expected Approved, got " + result);
    }
    return result;
  }

  /** The reference: one single-row INSERT committed on its own (auto-commit: one fsync each). */
  @Benchmark
  public int durableInsert() throws SQLException {
    if (sqliteWriter == null) {
      try (Connection c = database.dataSource().getConnection()) {
        return insert(c);
      }
    }
    synchronized (sqliteWriter) {
      return insert(sqliteWriter);
    }
  }

  private int insert(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_write (id, note) VALUES (?, ?)")) {
      ps.setLong(1, addresses.incrementAndGet());
      ps.setString(2, run);
      return ps.executeUpdate();
    }
  }

  private String nextAddress() {
    return "j" + run + "-" + addresses.incrementAndGet() + "@bench.example";
  }

  private static Verification started(StartResult result) {
    if (result instanceof StartResult.Started started) {
      return started.verification();
    }
    throw new IllegalStateException("expected Started, got " + result);
  }
}
