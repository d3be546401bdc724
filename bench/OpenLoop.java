import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open-loop load at a constant rate, for BENCHMARKS.md's latency figures: request i is due at
 * {@code start + i / rate} whatever happened to the ones before it, and its latency is counted from
 * that due time to the last byte of its answer (as wrk2 does). A server that stalls therefore
 * shows the stall in every request that fell due during it, instead of the load generator quietly
 * sending less (closed-loop tools, wrk, hey or autocannon with a rate, send a connection's next
 * request only after its answer, and count from when it was sent). Run as a single-file program:
 *
 * <pre>
 * java bench/OpenLoop.java URL MODE RATE SECONDS [name=value ...]
 *   MODE   live   GET /health/live
 *          check  POST /v1/verifications/{id}/check, a wrong code, round-robin over ids=FILE
 *          start  POST /v1/verifications, each with a new address (tag=T makes them unique per run)
 *          mixed  start and check in turn: each check a wrong code on the latest started verification
 *   key=API_KEY       for everything but live
 *   connections=64    at most this many requests in flight (one keep-alive connection each)
 *   warmup=2          seconds of load at the same rate before the measured SECONDS
 *   interval=0        if above 0, also one INTERVAL line per that many seconds
 * </pre>
 *
 * <p>Prints one {@code RESULT} line like bench/wrk/report.lua's, plus {@code behind}: the requests
 * sent 10 ms or more after they fell due because every connection was busy (the server could not
 * keep up with the rate; their wait is in their latency), and a count of each kind of answer
 * ({@code status_errors} counts those that were not 2xx).
 */
public final class OpenLoop {

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(ver_[0-9a-z]+)\"");
  private static final long BEHIND_NS = 10_000_000;

  private final URI url;
  private final String mode;
  private final String key;
  private final String tag;
  private final List<String> ids;
  private final long period;
  private final long warmupRequests;
  private final long measuredRequests;
  private final long[] latency;
  private final AtomicLong next = new AtomicLong();
  private final LongAdder behind = new LongAdder();
  private final LongAdder socketErrors = new LongAdder();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  /** The latest started verifications, for mixed mode's checks. */
  private final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(1024);
  private final AtomicLong recentCount = new AtomicLong();
  private long start;

  private OpenLoop(URI url, String mode, double rate, double seconds, Map<String, String> options)
      throws IOException {
    this.url = url;
    this.mode = mode;
    this.key = options.getOrDefault("key", "");
    this.tag = options.getOrDefault("tag", Long.toString(System.nanoTime() % 1_000_000, 36));
    this.ids = mode.equals("check") ? Files.readAllLines(Path.of(options.get("ids"))) : List.of();
    this.period = (long) (1e9 / rate);
    this.warmupRequests = (long) (rate * Double.parseDouble(options.getOrDefault("warmup", "2")));
    this.measuredRequests = (long) (rate * seconds);
    this.latency = new long[(int) measuredRequests];
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: java OpenLoop.java URL live|check|start|mixed RATE SECONDS [name=value ...]");
      System.exit(2);
    }
    Map<String, String> options = new TreeMap<>();
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    double seconds = Double.parseDouble(args[3]);
    OpenLoop load = new OpenLoop(URI.create(args[0]), args[1], Double.parseDouble(args[2]), seconds, options);
    load.run(Integer.parseInt(options.getOrDefault("connections", "64")));
    load.report(seconds, Double.parseDouble(args[2]), Double.parseDouble(options.getOrDefault("interval", "0")));
  }

  private void run(int connections) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    start = System.nanoTime() + 50_000_000; // every thread ready before the first request is due
    for (int i = 0; i < connections; i++) {
      Thread t = new Thread(this::work, "load-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** One connection: takes the next request in the schedule, waits until it is due, sends it. */
  private void work() {
    Connection connection = null;
    long total = warmupRequests + measuredRequests;
    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
      long due = start + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      boolean measured = i >= warmupRequests;
      if (measured && -wait >= BEHIND_NS) {
        behind.increment();
      }
      Request request = request(i);
      Answer answer = null;
      for (int attempt = 0; attempt < 2 && answer == null; attempt++) {
        try {
          if (connection == null) {
            connection = new Connection(url);
          }
          answer = connection.exchange(request.bytes());
        } catch (IOException e) {
          boolean reused = connection != null && connection.used > 0;
          if (connection != null) {
            connection.close();
          }
          connection = null;
          // A kept-alive connection the server closed while it was idle: send again on a new one.
          if (!reused) {
            break;
          }
        }
      }
      if (answer == null) {
        if (measured) {
          socketErrors.increment();
          latency[(int) (i - warmupRequests)] = System.nanoTime() - due;
        }
        continue;
      }
      if (measured) {
        latency[(int) (i - warmupRequests)] = System.nanoTime() - due;
        outcomes.computeIfAbsent(outcome(request.kind(), answer), k -> new LongAdder()).increment();
      }
      if (request.kind().equals("start") && answer.status() == 201) {
        Matcher m = ID.matcher(answer.body());
        if (m.find()) {
          recent.set((int) (recentCount.getAndIncrement() % recent.length()), m.group(1));
        }
      }
      if (answer.close()) {
        connection.close();
        connection = null;
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  private record Request(String kind, byte[] bytes) {}

  private Request request(long i) {
    String host = url.getHost() + ":" + url.getPort();
    switch (mode) {
      case "live":
        return new Request("live", get(host, "/health/live"));
      case "check":
        return new Request("check", check(host, ids.get((int) (i % ids.size()))));
      case "start":
        return new Request("start", start(host, i));
      case "mixed":
        long started = recentCount.get();
        // null: a start that took that slot has not stored its id yet
        String latest = started == 0 ? null : recent.get((int) ((started - 1) % recent.length()));
        return i % 2 == 1 && latest != null
            ? new Request("check", check(host, latest))
            : new Request("start", start(host, i));
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static byte[] get(String host, String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] check(String host, String id) {
    return post(host, "/v1/verifications/" + id + "/check", "{\"code\":\"000000\"}");
  }

  private byte[] start(String host, long i) {
    return post(host, "/v1/verifications", "{\"email\":\"o" + tag + "-" + i + "@bench.example\"}");
  }

  private byte[] post(String host, String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head8, head8.length + body.length);
    System.arraycopy(body, 0, all, head8.length, body.length);
    return all;
  }

  /** What the answer was, for the counts: created, incorrect, or the status and what it said. */
  private static String outcome(String kind, Answer a) {
    if (kind.equals("start") && a.status() == 201) {
      return "created";
    }
    if (kind.equals("check") && a.status() == 200 && a.body().contains("\"incorrect_code\"")) {
      return "incorrect";
    }
    if (kind.equals("live") && a.status() == 200) {
      return "live";
    }
    Matcher m = Pattern.compile("\"(?:type|status|error)\"\\s*:\\s*\"([^\"]{1,60})\"").matcher(a.body());
    // Another 2xx is an answer the server chose (a check on a verification out of attempts says
    // "failed"); anything else is an error.
    return (a.status() / 100 == 2 ? "" : "error_") + kind + "_" + a.status()
        + (m.find() ? "_" + m.group(1).replaceAll("[^A-Za-z0-9_]", "_") : "");
  }

  private void report(double seconds, double rate, double interval) {
    long[] all = latency.clone();
    Arrays.sort(all);
    long errors = outcomes.entrySet().stream()
        .filter(e -> e.getKey().startsWith("error_"))
        .mapToLong(e -> e.getValue().sum())
        .sum();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "RESULT requests=%d seconds=%.3f offered=%.1f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f"
            + " status_errors=%d socket_errors=%d behind=%d",
        all.length, seconds, rate, all.length / seconds, ms(all, 0.50), ms(all, 0.99), ms(all, 0.999),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors, socketErrors.sum(), behind.sum()));
    new TreeMap<>(outcomes).forEach((k, v) -> line.append(' ').append(k).append('=').append(v.sum()));
    System.out.println(line);
    if (interval > 0) {
      long perInterval = (long) (rate * interval);
      for (long from = 0; from < latency.length; from += perInterval) {
        long[] part = Arrays.copyOfRange(latency, (int) from, (int) Math.min(latency.length, from + perInterval));
        Arrays.sort(part);
        System.out.printf(Locale.ROOT, "INTERVAL from_s=%.0f requests=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%n",
            from / rate, part.length, ms(part, 0.50), ms(part, 0.99), part[part.length - 1] / 1e6);
      }
    }
  }

  private static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private record Answer(int status, String body, boolean close) {}

  /** One HTTP/1.1 keep-alive connection; answers with Content-Length or chunked bodies. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int used;

    Connection(URI url) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16_384);
    }

    Answer exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      if (status == null) {
        throw new EOFException("closed before the answer");
      }
      used++;
      int code = Integer.parseInt(status.split(" ", 3)[1]);
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); h != null && !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).strip());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].strip(), 16); size > 0;
            size = Long.parseLong(line().split(";")[0].strip(), 16)) {
          body.write(in.readNBytes((int) size));
          line();
        }
        for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
          // trailers: none expected
        }
      } else if (length >= 0) {
        body.write(in.readNBytes((int) length));
      } else {
        close = true;
        body.write(in.readAllBytes());
      }
      return new Answer(code, body.toString(StandardCharsets.UTF_8), close);
    }

    /** One header line without its CRLF; null at the end of the stream. */
    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b = in.read(); b != -1; b = in.read()) {
        if (b == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        sb.append((char) b);
      }
      return sb.length() == 0 ? null : sb.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
