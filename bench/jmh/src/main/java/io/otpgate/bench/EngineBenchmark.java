package io.otpgate.bench;

import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The verification engine in process, on a real database: what one start costs, what a whole
 * verification (start, then the right code) costs, and, as the reference measured in the same
 * run, one durable single-row INSERT on the same pool. Every address is new, so no rate limit is
 * reached and every check is a real approving check.
 *
 * <p>bench/run runs these with its own JMH options (threads, iterations); see BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

  private static final ServerSecret SECRET =
      ServerSecret.of(List.of("bench-secret-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)));
  /** The default OTPGATE_DB_POOL_SIZE. */
  private static final int POOL_SIZE = 10;

  @Param({"H2", "POSTGRESQL"})
  public DatabaseKind db;

  private final AtomicLong addresses = new AtomicLong();
  private final String run = Long.toString(System.nanoTime(), 36);
  private Path dir;
  private Database database;
  private InboxStore store;
  private Verifier verifier;

  @Setup
  public void open() throws IOException, SQLException {
    dir = Files.createTempDirectory("otpgate-jmh");
    database = db.fresh(dir).open(POOL_SIZE);
    SecureRandom random = new SecureRandom();
    store = new InboxStore(database.verifications(), new CodeSealer(SECRET, random));
    verifier = Verifier.builder().store(store).secret(SECRET).random(random).build();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_write (id BIGINT PRIMARY KEY, note VARCHAR(64) NOT NULL)");
    }
  }

  @TearDown
  public void close() throws IOException {
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

  /** The reference: one single-row INSERT committed on its own, through the same pool. */
  @Benchmark
  public int durableInsert() throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO bench_write (id, note) VALUES (?, ?)")) {
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
