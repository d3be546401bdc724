import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The fault soak's driver (bench/soak/run starts it, with PostgreSQL already running): a
 * fault-injecting SMTP sink, three `otpgate serve` instances (A and B on PostgreSQL, C on the
 * embedded store), an open-loop mixed load, the fault schedule, and the checks, which read only
 * what the SMTP sink received and what the API answers. Prints a table; exits 1 when a check fails.
 *
 * <p>Every time here is this JVM's System.currentTimeMillis: the sink, the load and the schedule
 * share one clock, so "the email's SMTP transaction began after the cancel was acknowledged" is a
 * comparison of two readings of the same clock.
 */
public final class Soak {

    // ---------------------------------------------------------------------------------------------
    // Settings (environment, from bench/soak/run)

    static final long SECONDS = Long.parseLong(env("SOAK_S", "600"));
    static final double RATE = Double.parseDouble(env("SOAK_RATE", "50"));
    static final boolean CHECK_ONLY = env("SOAK_CHECK_ONLY", "0").equals("1");
    static final Path OUT = Path.of(env("SOAK_OUT", "bench/target/soak"));
    static final String JAR = env("SOAK_JAR", "cli/target/otpgate.jar");
    static final String JAVA_OPTS = env("SOAK_JAVA_OPTS", "-Xms32m -Xmx256m -XX:+UseSerialGC");
    static final String PG_URL = System.getenv("SOAK_PG_URL");
    static final String PG_RESTART = System.getenv("SOAK_PG_RESTART"); // a shell command
    static final String PSQL = System.getenv("SOAK_PSQL"); // a shell command, then the SQL
    static final Path PG_DATA = Path.of(env("SOAK_PG_DATA", "/nonexistent"));
    static final Path SQLITE_DIR = Path.of(env("SOAK_SQLITE_DIR", OUT.resolve("c-data").toString()));
    static final boolean SQLITE_ON_TMPFS = env("SOAK_SQLITE_TMPFS", "0").equals("1");
    static final String FAKETIME_LIB = env("SOAK_FAKETIME_LIB", "");
    static final Duration TTL = Duration.ofMinutes(4);
    static final int WORKERS = 4; // OTPGATE_DELIVERY_WORKERS, the default
    static final long LEASE_S = 15; // OTPGATE_LEASE, the default
    static final String KEY = "soak-key-" + "0123456789abcdefghijklmnopqrstuv";
    /**
     * An email begun (MAIL FROM) up to this long after a cancel or resend was acknowledged was
     * already in flight. Between a worker's last look at the row and MAIL FROM lie up to 250 ms of
     * its batch (it re-checks that often), composing the email, and opening the SMTP connection,
     * which the transport does lazily in the send: a cold JVM on the starved machine once took 1.5 s
     * for those. Later than this, it is a violation.
     */
    static final long IN_FLIGHT_SLACK_MS = 3000;
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(ver_[0-9a-z]+)\"");

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    static final long T0 = System.currentTimeMillis();
    static PrintStream log;

    static synchronized void say(String format, Object... args) {
        String line = String.format("[soak %4ds] ", (System.currentTimeMillis() - T0) / 1000) + String.format(format, args);
        System.err.println(line);
        log.println(line);
        log.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // The SMTP sink: records every message it accepted (answered 250 on an open connection), with
    // the time its transaction began (MAIL FROM) and ended, its recipient, code and Message-ID.

    record Mail(long began, long accepted, String rcpt, String code, String messageId) {}

    enum SmtpMode { OK, GREET_421, DATA_451, REFUSE, STALL }

    static final class Sink {
        final List<Mail> mails = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> open = ConcurrentHashMap.newKeySet(); // begun transactions, by their MAIL FROM time
        final AtomicInteger refused = new AtomicInteger();
        /** Messages answered 250 after a stall: the client may have given up and will send them again. */
        final AtomicInteger stalledAccepted = new AtomicInteger();
        volatile SmtpMode mode = SmtpMode.OK;
        volatile ServerSocket server;
        final int port;
        final ExecutorService pool = Executors.newCachedThreadPool(daemon("smtp"));
        final PrintStream record;

        Sink() throws IOException {
            server = bind(0);
            port = server.getLocalPort();
            record = new PrintStream(Files.newOutputStream(OUT.resolve("sink.tsv")), true, StandardCharsets.UTF_8);
            accept(server);
        }

        static ServerSocket bind(int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            return s;
        }

        void accept(ServerSocket s) {
            pool.execute(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket c = s.accept();
                        pool.execute(() -> session(c));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        /** Refuses connections (nothing listens) until {@link #listen}. */
        void refuse() throws IOException {
            mode = SmtpMode.REFUSE;
            server.close();
        }

        void listen() throws IOException {
            server = bind(port);
            accept(server);
            mode = SmtpMode.OK;
        }

        void session(Socket socket) {
            try (socket) {
                socket.setSoTimeout(120_000);
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                if (mode == SmtpMode.GREET_421) {
                    refused.incrementAndGet();
                    reply(out, "421 4.3.2 soak: service not available");
                    return;
                }
                reply(out, "220 soak ESMTP");
                String rcpt = null;
                long began = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    switch (verb) {
                        case "EHLO" -> reply(out, "250-soak\r\n250-8BITMIME\r\n250 SIZE 10485760");
                        case "HELO", "NOOP" -> reply(out, "250 ok");
                        case "MAIL" -> {
                            began = System.currentTimeMillis();
                            rcpt = null;
                            reply(out, "250 ok");
                        }
                        case "RCPT" -> {
                            Matcher m = Pattern.compile("<([^>]*)>").matcher(line);
                            rcpt = m.find() ? m.group(1).toLowerCase() : line;
                            reply(out, "250 ok");
                        }
                        case "RSET" -> {
                            rcpt = null;
                            reply(out, "250 ok");
                        }
                        case "DATA" -> {
                            long id = began;
                            open.add(id);
                            try {
                                reply(out, "354 go on");
                                String subject = "", messageId = "";
                                while ((line = in.readLine()) != null && !line.equals(".")) {
                                    if (subject.isEmpty() && line.regionMatches(true, 0, "Subject:", 0, 8)) subject = line;
                                    if (messageId.isEmpty() && line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                                        messageId = line.substring(11).trim();
                                    }
                                }
                                if (line == null) return;
                                SmtpMode now = mode;
                                if (now == SmtpMode.DATA_451) {
                                    refused.incrementAndGet();
                                    reply(out, "451 4.3.0 soak: try again later");
                                    continue;
                                }
                                if (now == SmtpMode.STALL) {
                                    // Past the client's 30 s read timeout: it gives up and closes.
                                    // A message is recorded only once 250 went out on an open link.
                                    Thread.sleep(40_000);
                                    stalledAccepted.incrementAndGet();
                                }
                                Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(subject);
                                reply(out, "250 2.0.0 queued");
                                out.flush();
                                Mail mail = new Mail(began, System.currentTimeMillis(), rcpt,
                                        code.find() ? code.group(1) : "", messageId);
                                mails.add(mail);
                                record.printf("%d\t%d\t%s\t%s\t%s%n", mail.began(), mail.accepted(), mail.rcpt(), mail.code(), mail.messageId());
                            } finally {
                                open.remove(id);
                            }
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "502 5.5.2 soak: unknown command");
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the client closed or timed out: nothing recorded for an unanswered DATA
            }
        }

        static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Instances

    static final class Instance {
        final String name;
        final boolean postgres;
        final int port;
        final Map<String, String> env;
        final Path dir;
        volatile Process process;
        volatile boolean up;
        final List<long[]> rss = new CopyOnWriteArrayList<>(); // [time, kB]

        Instance(String name, boolean postgres, Map<String, String> env) throws IOException {
            this.name = name;
            this.postgres = postgres;
            this.port = freePort();
            this.env = env;
            this.dir = OUT.resolve(name);
            Files.createDirectories(dir);
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add("java");
            cmd.addAll(List.of(JAVA_OPTS.split(" ")));
            cmd.addAll(List.of("-jar", JAR, "serve"));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.out").toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.err").toFile()));
            pb.environment().putAll(env);
            pb.environment().put("OTPGATE_PORT", Integer.toString(port));
            process = pb.start();
        }

        boolean awaitReady(Duration limit) throws InterruptedException {
            long end = System.currentTimeMillis() + limit.toMillis();
            while (System.currentTimeMillis() < end) {
                if (!process.isAlive()) return false;
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        up = true;
                        return true;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(200);
            }
            return false;
        }

        void kill9() throws InterruptedException {
            up = false;
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor(10, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            up = false;
            if (process == null) return;
            process.destroy(); // SIGTERM: finishes what is in flight
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        }

        void sampleRss() {
            Process p = process;
            if (p == null || !p.isAlive()) return;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.add(new long[] {System.currentTimeMillis(), Long.parseLong(line.replaceAll("[^0-9]", ""))});
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // exited between the check and the read
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // What the load saw

    /** One verification the soak started, as acknowledged, and what it did to it since. */
    static final class Ver {
        final String id;
        final String rcpt;
        final Instance startedOn;
        final boolean page;
        final long acked;
        volatile long canceledAt; // the cancel's 200 arrived
        volatile long resendSentAt; // the resend request left
        volatile long resentAt; // the resend's 200 arrived
        volatile boolean resendAsked;
        volatile boolean approved;
        volatile int wrongChecks;
        /**
         * A call on it got no answer (the instance was killed, a timeout) or a 500: whether it took
         * effect is unknown, as for a real client, so the soak leaves it alone from then on.
         */
        volatile boolean uncertain;
        /** One operation at a time on a verification, as one person at one screen. */
        final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();

        Ver(String id, String rcpt, Instance startedOn, boolean page, long acked) {
            this.id = id;
            this.rcpt = rcpt;
            this.startedOn = startedOn;
            this.page = page;
            this.acked = acked;
        }
    }

    record Call(long at, String instance, String op, int status, long millis) {}

    record Window(String name, long start, long end, Set<String> affects) {
        /** Whether a call that ran from {@code from} to {@code to} on that instance overlapped this window. */
        boolean covers(long from, long to, String instance, long graceMs) {
            return to >= start - 1000 && from <= end + graceMs && affects.contains(instance);
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .executor(Executors.newFixedThreadPool(4, daemon("http")))
            .build();

    final Sink sink;
    final List<Instance> instances = new ArrayList<>();
    final List<Ver> vers = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Ver> byRcpt = new ConcurrentHashMap<>();
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final List<Window> windows = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final Map<String, Long> disruptions = new LinkedHashMap<>(); // kill/restart name -> time
    final List<long[]> pgSizes = new CopyOnWriteArrayList<>();
    final List<Double> loadAverages = new CopyOnWriteArrayList<>();
    final List<long[]> sqliteSizes = new CopyOnWriteArrayList<>();
    final Map<String, String> takeovers = new LinkedHashMap<>();
    final Map<String, String> backlogs = new LinkedHashMap<>();
    /** Per kill, until its takeover is complete: the mailboxes of held rows with no email since. */
    final Map<String, Set<String>> awaitingTakeover = new LinkedHashMap<>();
    final AtomicLong recipients = new AtomicLong();
    final AtomicInteger wrongAnswers = new AtomicInteger();
    final AtomicInteger refusedAsExpiredAfterStep = new AtomicInteger();
    volatile boolean clockStepped;
    final ExecutorService load = Executors.newFixedThreadPool(24, daemon("load"));
    Instance a, b, c;
    Path clockFile;

    Soak() throws IOException {
        sink = new Sink();
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(OUT);
        log = new PrintStream(Files.newOutputStream(OUT.resolve("soak.log")), true, StandardCharsets.UTF_8);
        Soak soak = new Soak();
        int code;
        try {
            code = soak.run();
        } finally {
            for (Instance i : soak.instances) i.stop();
        }
        System.exit(code);
    }

    int run() throws Exception {
        Map<String, String> common = new HashMap<>();
        common.put("OTPGATE_SMTP_HOST", "127.0.0.1");
        common.put("OTPGATE_SMTP_PORT", Integer.toString(sink.port));
        common.put("OTPGATE_SMTP_TLS", "none");
        common.put("OTPGATE_API_KEYS", "soak:" + KEY);
        common.put("OTPGATE_CODE_TTL", TTL.toMinutes() + "m");
        common.put("OTPGATE_RESEND_COOLDOWN", "5s");
        common.put("OTPGATE_IP_START_LIMIT", "1000000");
        common.put("OTPGATE_IP_CHECK_LIMIT", "1000000");
        common.put("MALLOC_ARENA_MAX", "2");
        common.put("OTPGATE_SECRET", "soak-secret-0123456789abcdefghijklmnopqrstuvwxyz");
        Map<String, String> pg = new HashMap<>(common);
        pg.put("OTPGATE_DB_URL", PG_URL);
        pg.put("OTPGATE_DB_USER", "otpgate");
        pg.put("OTPGATE_DB_PASSWORD", "");
        pg.put("OTPGATE_DATA_DIR", OUT.resolve("pg-data-dir").toString());
        a = new Instance("A", true, pg);
        Map<String, String> pgB = new HashMap<>(pg);
        if (!FAKETIME_LIB.isEmpty()) {
            // B's wall clock follows this file ("+0", later "+120"): libfaketime rereads it every
            // second; the monotonic clock the JVM times with stays real.
            clockFile = OUT.resolve("b-clock");
            Files.writeString(clockFile, "+0\n");
            pgB.put("LD_PRELOAD", FAKETIME_LIB);
            pgB.put("FAKETIME_TIMESTAMP_FILE", clockFile.toString());
            pgB.put("FAKETIME_CACHE_DURATION", "1");
            // A step of the wall clock (NTP, an operator) leaves CLOCK_MONOTONIC alone; so must the test.
            pgB.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        b = new Instance("B", true, pgB);
        Map<String, String> lite = new HashMap<>(common);
        lite.put("OTPGATE_DATA_DIR", SQLITE_DIR.toString());
        c = new Instance("C", false, lite);
        instances.addAll(List.of(a, b, c));
        for (Instance i : instances) i.start();
        for (Instance i : instances) {
            if (!i.awaitReady(Duration.ofSeconds(90))) {
                say("instance %s did not become ready: see %s", i.name, i.dir);
                return 2;
            }
            say("instance %s ready on %s (%s)", i.name, i.base(), i.postgres ? "PostgreSQL" : "embedded SQLite");
        }

        List<Fault> schedule = schedule();
        say("schedule (seconds from the start of the load; SOAK_S=%d, rate %.0f ops/s):", SECONDS, RATE);
        for (Fault f : schedule) say("  %5.0f  %s", f.at / 1000.0, f.name);

        long begin = System.currentTimeMillis();
        ScheduledLoad driver = new ScheduledLoad(begin);
        Thread loadThread = new Thread(driver, "load-clock");
        loadThread.start();
        Thread sampler = new Thread(this::sample, "sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (Fault f : schedule) {
            long wait = begin + f.at - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            say("fault: %s", f.name);
            try {
                f.action.run();
            } catch (Exception e) {
                problems.add("fault " + f.name + " could not run: " + e);
                say("fault %s failed: %s", f.name, e);
            }
        }
        // The faults run one after another, and a restart under load can take longer than planned:
        // the load runs on for 10 s after the last one at least.
        long end = Math.max(begin + SECONDS * 1000, System.currentTimeMillis() + 10_000);
        Thread.sleep(end - System.currentTimeMillis());
        driver.stop = true;
        loadThread.join();
        load.shutdown();
        load.awaitTermination(30, TimeUnit.SECONDS);
        say("load stopped: %d operations, %d verifications; draining", calls.size(), vers.size());
        return check(begin, end);
    }

    // ---------------------------------------------------------------------------------------------
    // The fault schedule: fractions of SOAK_S, windows scaled to it (600 s: the issue's 60 s refusal)

    interface Step {
        void run() throws Exception;
    }

    record Fault(long at, String name, Step action) {}

    List<Fault> schedule() {
        List<Fault> f = new ArrayList<>();
        long s = SECONDS * 1000;
        long burst = Math.max(5_000, s / 40); // 15 s in 600 s
        long refuse = Math.max(10_000, s / 10); // 60 s in 600 s
        f.add(new Fault(s * 5 / 100, "SMTP answers 421 at greeting for " + burst / 1000 + " s",
                () -> smtp(SmtpMode.GREET_421, burst, "smtp 421")));
        f.add(new Fault(s * 12 / 100, "batch of 300 on A, then kill -9 A, restart after 5 s", () -> kill(a, "kill -9 A #1")));
        f.add(new Fault(s * 22 / 100, "SMTP answers 451 to DATA for " + burst / 1000 + " s",
                () -> smtp(SmtpMode.DATA_451, burst, "smtp 451")));
        f.add(new Fault(s * 28 / 100, "pg_ctl restart -m fast", this::pgRestart));
        f.add(new Fault(s * 36 / 100, "SMTP refuses connections for " + refuse / 1000 + " s",
                () -> smtp(SmtpMode.REFUSE, refuse, "smtp refused")));
        if (clockFile != null) {
            // Early, so that B runs ahead for most of the load, through its own kill and restart.
            f.add(new Fault(s * 45 / 100, "B's wall clock stepped forward 120 s (libfaketime)", this::stepClock));
        }
        f.add(new Fault(s * 52 / 100, "batch of 300 on B, then kill -9 B, restart after 5 s", () -> kill(b, "kill -9 B")));
        f.add(new Fault(s * 60 / 100, "SMTP stalls mid-DATA (no reply for 40 s) for " + burst / 1000 + " s",
                () -> smtp(SmtpMode.STALL, burst, "smtp stall")));
        if (SQLITE_ON_TMPFS) {
            f.add(new Fault(s * 70 / 100, "C's data dir (tmpfs) filled up for " + burst / 1000 + " s, then freed",
                    () -> fillDisk(burst)));
        }
        f.add(new Fault(s * 78 / 100, "batch of 300 on A, then kill -9 A, restart after 5 s", () -> kill(a, "kill -9 A #2")));
        return f;
    }

    void smtp(SmtpMode mode, long millis, String name) throws Exception {
        long start = System.currentTimeMillis();
        if (mode == SmtpMode.REFUSE) sink.refuse();
        else sink.mode = mode;
        Thread.sleep(millis);
        if (mode == SmtpMode.REFUSE) sink.listen();
        else sink.mode = SmtpMode.OK;
        windows.add(new Window(name, start, System.currentTimeMillis(), Set.of()));
    }

    void kill(Instance victim, String name) throws Exception {
        // A batch just before: rows the victim has claimed and not yet sent when it dies.
        batch(victim, 300);
        Thread.sleep(300);
        long start = System.currentTimeMillis();
        Set<Ver> waiting = awaitingEmail(start, true);
        int inFlight = inFlightAt(start);
        victim.kill9();
        disruptions.put(name, start);
        Map<String, String> held = beingSent();
        say("%s: killed; %d PostgreSQL verifications were waiting for their email, %d SMTP transactions in flight",
                name, waiting.size(), inFlight);
        Thread.sleep(5_000);
        victim.start();
        boolean ready = victim.awaitReady(Duration.ofSeconds(60));
        windows.add(new Window(name, start, System.currentTimeMillis(), Set.of(victim.name)));
        if (!ready) problems.add(name + ": the instance did not come back");
        Thread t = new Thread(() -> measureTakeover(name, start, waiting, held), "takeover");
        t.setDaemon(true);
        t.start();
    }

    void pgRestart() throws Exception {
        long start = System.currentTimeMillis();
        disruptions.put("pg restart", start);
        Process p = new ProcessBuilder("bash", "-c", PG_RESTART).redirectErrorStream(true)
                .redirectOutput(OUT.resolve("pg-restart.log").toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) problems.add("pg_ctl restart exited " + rc);
        windows.add(new Window("pg restart", start, System.currentTimeMillis(), Set.of("A", "B")));
        say("PostgreSQL restarted in %d ms", System.currentTimeMillis() - start);
    }

    void fillDisk(long millis) throws Exception {
        long start = System.currentTimeMillis();
        disruptions.put("disk full", start);
        Path filler = SQLITE_DIR.resolve("soak-filler");
        long written = 0;
        try (var out = Files.newOutputStream(filler)) {
            byte[] mb = new byte[1 << 20];
            while (true) {
                out.write(mb);
                written += mb.length;
            }
        } catch (IOException full) {
            say("C's data dir is full (%d MB of filler)", written >> 20);
        }
        Thread.sleep(millis);
        Files.deleteIfExists(filler);
        windows.add(new Window("disk full", start, System.currentTimeMillis(), Set.of("C")));
    }

    void stepClock() throws Exception {
        Files.writeString(clockFile, "+120\n");
        clockStepped = true;
        long start = System.currentTimeMillis();
        disruptions.put("clock +120 s", start);
        // No window: a clock stepped forward must not cost a single 5xx.
    }

    // ---------------------------------------------------------------------------------------------
    // The load: open loop at RATE, each operation on the executor, so a stalled one delays nothing.

    final class ScheduledLoad implements Runnable {
        final long begin;
        volatile boolean stop;

        ScheduledLoad(long begin) {
            this.begin = begin;
        }

        @Override
        public void run() {
            long n = 0;
            long nextBatch = begin + 20_000;
            while (!stop) {
                long due = begin + (long) (n++ * 1000 / RATE);
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (System.currentTimeMillis() >= nextBatch) {
                    nextBatch += 30_000;
                    Instance i = pick(null);
                    if (i != null) load.execute(() -> batch(i, 50));
                }
                load.execute(Soak.this::oneOperation);
            }
        }
    }

    /** An instance that is up, on the given store (null: any), at random. */
    Instance pick(Boolean postgres) {
        List<Instance> up = instances.stream()
                .filter(i -> i.up && (postgres == null || i.postgres == postgres))
                .toList();
        return up.isEmpty() ? null : up.get(ThreadLocalRandom.current().nextInt(up.size()));
    }

    void oneOperation() {
        int roll = ThreadLocalRandom.current().nextInt(100);
        try {
            if (roll < 30) start(pick(null));
            else if (roll < 50) checkRight();
            else if (roll < 60) checkWrong();
            else if (roll < 68) resend();
            else if (roll < 75) cancel();
            else if (roll < 88) get();
            else page(pick(null));
        } catch (RuntimeException e) {
            say("operation failed: %s", e);
        }
    }

    record Answer(int status, String body) {}

    /** One HTTP call, recorded: status 0 is a connection failure or a timeout. */
    Answer call(Instance i, String op, HttpRequest.Builder request) {
        long t = System.currentTimeMillis();
        int status;
        String body = "";
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            body = r.body() + "\n" + r.headers().firstValue("location").orElse("")
                    + "\n" + String.join(";", r.headers().allValues("set-cookie"));
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
        }
        calls.add(new Call(t, i.name, op, status, System.currentTimeMillis() - t));
        if (status >= 500) say("%s on %s: %d %s", op, i.name, status, body.lines().findFirst().orElse(""));
        return new Answer(status, body);
    }

    /** {@link #call} on one verification: no answer or a 500 makes it {@link Ver#uncertain}. */
    Answer call(Ver v, Instance i, String op, HttpRequest.Builder request) {
        Answer r = call(i, op, request);
        if (r.status == 0 || r.status == 500) v.uncertain = true;
        return r;
    }

    HttpRequest.Builder api(Instance i, String path) {
        return HttpRequest.newBuilder(URI.create(i.base() + path)).header("Authorization", "Bearer " + KEY);
    }

    HttpRequest.Builder post(Instance i, String path, String json) {
        return api(i, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    String newRecipient(String kind) {
        return kind + recipients.incrementAndGet() + "-" + T0 % 100000 + "@soak.example";
    }

    void start(Instance i) {
        if (i == null) return;
        String rcpt = newRecipient("s");
        Answer r = call(i, "start", post(i, "/v1/verifications", "{\"email\":\"" + rcpt + "\"}"));
        if (r.status == 201) remember(new Ver(match(ID, r.body), rcpt, i, false, System.currentTimeMillis()));
    }

    void batch(Instance i, int size) {
        StringBuilder json = new StringBuilder("{\"recipients\":[");
        List<String> rcpts = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            String rcpt = newRecipient("b");
            rcpts.add(rcpt);
            json.append(k == 0 ? "" : ",").append("{\"email\":\"").append(rcpt).append("\"}");
        }
        Answer r = call(i, "batch", post(i, "/v1/verifications/batch", json.append("]}").toString()));
        if (r.status != 200) return;
        long acked = System.currentTimeMillis();
        // results come in order, one per recipient; all are acceptable addresses
        Matcher m = ID.matcher(r.body);
        for (String rcpt : rcpts) {
            if (m.find()) remember(new Ver(m.group(1), rcpt, i, false, acked));
        }
    }

    void remember(Ver v) {
        vers.add(v);
        byRcpt.put(v.rcpt, v);
    }

    /**
     * Runs {@code op} on a recent verification, at random, that passes the filter (up to 20 tries)
     * and that no other operation is using.
     */
    void onRecent(java.util.function.Predicate<Ver> filter, java.util.function.Consumer<Ver> op) {
        recent(filter).ifPresent(v -> {
            try {
                op.accept(v);
            } finally {
                v.busy.set(false);
            }
        });
    }

    Optional<Ver> recent(java.util.function.Predicate<Ver> filter) {
        for (int k = 0; k < 20; k++) {
            Ver v;
            synchronized (vers) {
                if (vers.isEmpty()) return Optional.empty();
                int from = Math.max(0, vers.size() - 3000);
                v = vers.get(from + ThreadLocalRandom.current().nextInt(vers.size() - from));
            }
            if (filter.test(v) && v.busy.compareAndSet(false, true)) return Optional.of(v);
        }
        return Optional.empty();
    }

    /** The code the person would type now: from the newest email, if it came after any resend. */
    Optional<String> currentCode(Ver v) {
        Mail newest = null;
        for (Mail m : mailsTo(v.rcpt)) if (newest == null || m.began > newest.began) newest = m;
        if (newest == null || (v.resendAsked && (v.resentAt == 0 || newest.began < v.resentAt))) return Optional.empty();
        return Optional.of(newest.code);
    }

    final Map<String, List<Mail>> mailIndex = new ConcurrentHashMap<>();
    final AtomicInteger indexed = new AtomicInteger();

    List<Mail> mailsTo(String rcpt) {
        synchronized (sink.mails) {
            List<Mail> all = sink.mails;
            for (int k = indexed.get(); k < all.size(); k++) {
                Mail m = all.get(k);
                mailIndex.computeIfAbsent(m.rcpt, x -> new CopyOnWriteArrayList<>()).add(m);
                indexed.incrementAndGet();
            }
        }
        return mailIndex.getOrDefault(rcpt, List.of());
    }

    boolean live(Ver v) {
        return v.canceledAt == 0 && !v.approved && !v.uncertain && v.wrongChecks < 2
                && System.currentTimeMillis() < v.acked + TTL.toMillis() - 20_000;
    }

    Instance sameStore(Ver v) {
        return v.startedOn.postgres ? pick(true) : (c.up ? c : null);
    }

    void checkRight() {
        onRecent(v -> live(v) && currentCode(v).isPresent(), v -> {
            String code = currentCode(v).orElseThrow();
            Instance i = sameStore(v);
            if (i == null) return;
            Answer r = v.page ? pageCheck(i, v, code) : call(v, i, "check right",
                    post(i, "/v1/verifications/" + v.id + "/check", "{\"code\":\"" + code + "\"}"));
            boolean valid = v.page ? r.status == 303 && r.body.contains("/done") : r.status == 200 && r.body.contains("\"valid\":true");
            if (r.status == 200 || r.status == 303) {
                v.approved = true;
                if (!valid && v.canceledAt == 0 && i == b && clockStepped && r.body.contains("\"expired\"")) {
                    // B's wall clock is 120 s ahead: a code's expiry must still be judged by the database's.
                    refusedAsExpiredAfterStep.incrementAndGet();
                } else if (!valid && v.canceledAt == 0) {
                    wrongAnswers.incrementAndGet();
                    say("the right code for %s (%s) was not accepted on %s: %s", v.id, v.page ? "page" : "api", i.name,
                            r.body.lines().findFirst().orElse(""));
                }
            }
        });
    }

    void checkWrong() {
        onRecent(v -> live(v) && !v.page && currentCode(v).isPresent(), v -> {
            String code = currentCode(v).orElseThrow();
            String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
            Instance i = sameStore(v);
            if (i == null) return;
            v.wrongChecks++;
            Answer r = call(v, i, "check wrong",
                    post(i, "/v1/verifications/" + v.id + "/check", "{\"code\":\"" + wrong + "\"}"));
            if (r.status == 200 && r.body.contains("\"valid\":true")) {
                wrongAnswers.incrementAndGet();
                say("a wrong code was accepted for %s", v.id);
            }
        });
    }

    void resend() {
        onRecent(v -> live(v) && !v.page && !v.resendAsked && currentCode(v).isPresent()
                        && System.currentTimeMillis() > v.acked + 6_000,
                v -> {
                    Instance i = sameStore(v);
                    if (i == null) return;
                    v.resendAsked = true;
                    v.resendSentAt = System.currentTimeMillis();
                    Answer r = call(v, i, "resend", post(i, "/v1/verifications/" + v.id + "/resend", "{}"));
                    if (r.status == 200) v.resentAt = System.currentTimeMillis();
                    else if (r.status != 0 && r.status < 500) v.resendAsked = false; // refused: nothing changed
                });
    }

    void cancel() {
        onRecent(v -> live(v) && !v.page, v -> {
            Instance i = sameStore(v);
            if (i == null) return;
            Answer r = call(v, i, "cancel", post(i, "/v1/verifications/" + v.id + "/cancel", "{}"));
            if (r.status == 200) v.canceledAt = System.currentTimeMillis();
        });
    }

    void get() {
        onRecent(v -> !v.page, v -> {
            Instance i = sameStore(v);
            if (i != null) call(i, "get", api(i, "/v1/verifications/" + v.id).GET());
        });
    }

    static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern CSRF_COOKIE = Pattern.compile("otpgate_csrf=([A-Za-z0-9_-]+)");

    /** The hosted pages: GET /, POST /start, GET /verify/{id}, as a browser without JavaScript. */
    void page(Instance i) {
        if (i == null) return;
        Answer form = call(i, "page GET /", HttpRequest.newBuilder(URI.create(i.base() + "/")).GET());
        if (form.status != 200) return;
        String csrf = match(CSRF_FIELD, form.body);
        String cookie = match(CSRF_COOKIE, form.body);
        if (csrf == null || cookie == null) {
            problems.add("the start page carried no CSRF field or cookie");
            return;
        }
        String rcpt = newRecipient("p");
        Answer started = call(i, "page POST /start", HttpRequest.newBuilder(URI.create(i.base() + "/start"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "otpgate_csrf=" + cookie)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf) + "&email=" + enc(rcpt))));
        Matcher m = Pattern.compile("/verify/(ver_[0-9a-z]+)").matcher(started.body);
        if (started.status != 303 || !m.find()) return;
        Ver v = new Ver(m.group(1), rcpt, i, true, System.currentTimeMillis());
        pageCookies.put(v.id, cookie + " " + csrf);
        remember(v);
        call(i, "page GET /verify", HttpRequest.newBuilder(URI.create(i.base() + "/verify/" + v.id)).header("Cookie", "otpgate_csrf=" + cookie).GET());
    }

    final Map<String, String> pageCookies = new ConcurrentHashMap<>();

    Answer pageCheck(Instance i, Ver v, String code) {
        String[] cc = pageCookies.get(v.id).split(" ");
        return call(v, i, "page POST /verify", HttpRequest.newBuilder(URI.create(i.base() + "/verify/" + v.id))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "otpgate_csrf=" + cc[0])
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(cc[1]) + "&code=" + code)));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Samples and takeover

    void sample() {
        while (true) {
            for (Instance i : instances) i.sampleRss();
            try {
                loadAverages.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
            } catch (IOException | RuntimeException none) {
                // not Linux
            }
            long now = System.currentTimeMillis();
            pgSizes.add(new long[] {now, du(PG_DATA)});
            sqliteSizes.add(new long[] {now, du(SQLITE_DIR.resolve("otpgate.db")), du(SQLITE_DIR.resolve("otpgate.db-wal"))});
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static long du(Path p) {
        try (var files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** PostgreSQL verifications acknowledged before {@code t}, not canceled, with no email yet. */
    Set<Ver> awaitingEmail(long t, boolean postgres) {
        synchronized (vers) {
            return vers.stream()
                    .filter(v -> v.startedOn.postgres == postgres && v.acked <= t && v.canceledAt == 0)
                    .filter(v -> mailsTo(v.rcpt).isEmpty())
                    .collect(Collectors.toSet());
        }
    }

    /**
     * The outbox rows being sent, read from PostgreSQL right after a kill, by id (their emails'
     * Message-ID) with their mailbox: the dead instance's unrecorded rows, and the few the live one
     * has in hand. Only this measurement reads the database; the checks use the sink and the API
     * alone.
     */
    Map<String, String> beingSent() {
        try {
            Process p = new ProcessBuilder("bash", "-c", PSQL + " \"SELECT id, recipient FROM outbox WHERE status = 'sending'\"")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Map<String, String> rows = new HashMap<>();
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> l.contains("|"))
                    .forEach(l -> rows.put(l.substring(0, l.indexOf('|')), l.substring(l.indexOf('|') + 1).toLowerCase()));
            p.waitFor();
            return rows;
        } catch (IOException | InterruptedException e) {
            return Map.of();
        }
    }

    /** SMTP transactions open at t, and messages accepted in the 5 s before it. */
    int inFlightAt(long t) {
        synchronized (sink.mails) {
            return sink.open.size() + (int) sink.mails.stream().filter(m -> m.accepted > t - 5_000 && m.accepted <= t).count();
        }
    }

    /**
     * Two times from the kill. The takeover: until every row being sent at the kill (by the dead
     * instance, and the few the live one had in hand) is delivered: its own email (by Message-ID)
     * accepted, before the kill counting as at it (the person has it, whoever records it), or any
     * email to its mailbox after the kill (a resend's), or it was settled (canceled, approved). And
     * the backlog: until every PostgreSQL verification that was waiting for its email at the kill
     * has one, an upper bound that also counts what the live instance was sending anyway.
     */
    void measureTakeover(String name, long killedAt, Set<Ver> waiting, Map<String, String> held) {
        long limit = killedAt + TTL.toMillis();
        String takeover = null;
        while (System.currentTimeMillis() < limit) {
            if (takeover == null) {
                long last = 0;
                boolean all = true;
                Set<String> missing = new TreeSet<>();
                for (var row : held.entrySet()) {
                    String rcpt = row.getValue();
                    String ownId = "<" + row.getKey() + "@";
                    Ver v = byRcpt.get(rcpt);
                    // Settled since (canceled, approved with the code it already had): never re-sent.
                    if (v != null && (v.canceledAt != 0 || v.uncertain || v.approved)) continue;
                    long first = mailsTo(rcpt).stream()
                            .filter(m -> m.messageId().startsWith(ownId) || m.accepted() > killedAt)
                            .mapToLong(Mail::accepted).min().orElse(0);
                    if (first == 0) {
                        all = false;
                        missing.add(rcpt);
                    } else last = Math.max(last, first);
                }
                synchronized (takeovers) {
                    awaitingTakeover.put(name, missing);
                }
                if (all) {
                    takeover = held.isEmpty()
                            ? "0.0 s (no rows were being sent)"
                            : String.format("%.1f s (%d rows)", Math.max(0, last - killedAt) / 1000.0, held.size());
                    synchronized (takeovers) {
                        takeovers.put(name, takeover); // known now, whenever the backlog drains
                    }
                }
            }
            long last = 0;
            boolean all = true;
            for (Ver v : waiting) {
                if (v.canceledAt != 0 || v.uncertain) continue;
                long first = mailsTo(v.rcpt).stream().mapToLong(Mail::accepted).min().orElse(0);
                if (first == 0) all = false;
                else last = Math.max(last, first);
            }
            if (all && takeover != null) {
                String backlog = waiting.isEmpty()
                        ? "none waiting"
                        : String.format("%.1f s (%d emails)", Math.max(0, last - killedAt) / 1000.0, waiting.size());
                synchronized (takeovers) {
                    takeovers.put(name, takeover);
                    backlogs.put(name, backlog);
                }
                say("%s: the rows being sent at the kill delivered after %s; the whole backlog after %s", name, takeover, backlog);
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
        synchronized (takeovers) {
            takeovers.put(name, takeover == null ? "not all delivered before expiry" : takeover);
            backlogs.put(name, "not all delivered before expiry");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The checks

    int check(long begin, long end) throws Exception {
        // Drain: until no live verification waits for its email, or 150 s (a retry waits up to 60 s).
        long drainEnd = System.currentTimeMillis() + 150_000;
        while (System.currentTimeMillis() < drainEnd) {
            long waiting = vers.stream().filter(v -> v.canceledAt == 0 && mailsTo(v.rcpt).isEmpty()
                    && System.currentTimeMillis() < v.acked + TTL.toMillis()).count();
            if (waiting == 0) break;
            Thread.sleep(1000);
        }
        Thread.sleep(3000);
        say("checking %d verifications against %d emails received", vers.size(), sink.mails.size());

        Map<String, String> rows = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>(problems);

        // 1. Every acknowledged start exists; 2. its email arrived or its delivery is reported failed.
        int missing = 0, lost = 0, reportedFailed = 0, expiredUndelivered = 0, pageNoMail = 0;
        List<Ver> all;
        synchronized (vers) {
            all = new ArrayList<>(vers);
        }
        ExecutorService sweep = Executors.newFixedThreadPool(6);
        Map<Ver, Answer> status = new ConcurrentHashMap<>();
        for (Ver v : all) {
            sweep.execute(() -> {
                Instance i = v.startedOn.postgres ? a : c;
                Answer r = v.page
                        ? call(i, "final GET page", HttpRequest.newBuilder(URI.create(i.base() + "/verify/" + v.id)).GET())
                        : call(i, "final GET", api(i, "/v1/verifications/" + v.id).GET());
                status.put(v, r);
            });
        }
        sweep.shutdown();
        sweep.awaitTermination(10, TimeUnit.MINUTES);
        for (Ver v : all) {
            Answer r = status.get(v);
            if (r == null || !(r.status == 200 || (v.page && r.status == 303))) {
                missing++;
                if (missing <= 5) failures.add("acknowledged start " + v.id + " on " + v.startedOn.name + ": GET answered " + (r == null ? "nothing" : r.status));
                continue;
            }
            boolean mailed = !mailsTo(v.rcpt).isEmpty();
            if (v.page) {
                if (!mailed) pageNoMail++;
                continue;
            }
            String delivery = match(Pattern.compile("\"delivery\"\\s*:\\s*\\{\\s*\"status\"\\s*:\\s*\"([a-z_]+)\""), r.body);
            if ("failed".equals(delivery)) reportedFailed++;
            if ("expired_undelivered".equals(delivery)) expiredUndelivered++;
            if (v.canceledAt != 0 || "canceled".equals(delivery)) continue;
            if (!mailed && !"failed".equals(delivery) && !"expired_undelivered".equals(delivery)) {
                lost++;
                if (lost <= 5) failures.add("no email and no failure reported for " + v.id + " (delivery " + delivery + ")");
            }
            if (mailed && "expired_undelivered".equals(delivery) && !v.resendAsked) {
                failures.add(v.id + " reported expired_undelivered but its email arrived");
            }
        }
        rows.put("verifications acknowledged (API / pages)", all.stream().filter(v -> !v.page).count() + " / " + all.stream().filter(v -> v.page).count());
        rows.put("acknowledged but not found", Integer.toString(missing));
        rows.put("pending without email or reported failure (lost)", Integer.toString(lost));
        rows.put("reported failed / expired undelivered", reportedFailed + " / " + expiredUndelivered);
        rows.put("page starts without email (status not readable by API key)", Integer.toString(pageNoMail));

        // 3. No email for a canceled, replaced or expired code. An email whose SMTP transaction began
        // (MAIL FROM) before the cancel or resend was acknowledged was already in flight: allowed.
        int afterCancel = 0, staleAfterResend = 0, afterExpiry = 0, inFlightAtCancel = 0;
        for (Ver v : all) {
            List<Mail> mails = mailsTo(v.rcpt);
            if (v.canceledAt != 0) {
                for (Mail m : mails) {
                    if (m.began > v.canceledAt + IN_FLIGHT_SLACK_MS) {
                        afterCancel++;
                        if (afterCancel <= 5) failures.add(String.format("email to %s (%s) began %d ms after its cancel was acknowledged",
                                v.rcpt, v.id, m.began - v.canceledAt));
                    } else if (m.accepted > v.canceledAt) inFlightAtCancel++;
                }
            }
            if (v.resentAt != 0) {
                // The replaced codes: those emailed before the resend was asked for (the new code may
                // go out before the answer arrives). None may begin after the ack (plus the slack).
                Set<String> replaced = mails.stream().filter(m -> m.began < v.resendSentAt).map(Mail::code).collect(Collectors.toSet());
                long cut = v.resentAt + IN_FLIGHT_SLACK_MS;
                if (mails.stream().anyMatch(m -> m.began > cut && replaced.contains(m.code))) {
                    staleAfterResend++;
                    if (staleAfterResend <= 5) failures.add("replaced code of " + v.id + " emailed after the resend was acknowledged");
                }
            }
            // expiry: by this clock, the TTL from the acknowledgement (a later expiry than the
            // server's, which started the clock before answering), plus 1 s
            long expiry = (v.resentAt != 0 ? v.resentAt : v.acked) + TTL.toMillis() + 1000;
            for (Mail m : mails) if (m.began > expiry) afterExpiry++;
        }
        rows.put("emails begun after the cancel was acknowledged", Integer.toString(afterCancel));
        rows.put("emails in flight at a cancel (begun before its ack + 3 s)", Integer.toString(inFlightAtCancel));
        rows.put("old codes sent after a resend was acknowledged", Integer.toString(staleAfterResend));
        rows.put("emails begun after the code expired", Integer.toString(afterExpiry));

        if (afterExpiry > 0) failures.add(afterExpiry + " emails for expired codes");
        if (wrongAnswers.get() > 0) failures.add(wrongAnswers.get() + " checks answered wrongly (a right code refused or a wrong one accepted)");
        rows.put("checks answered wrongly", Integer.toString(wrongAnswers.get()));
        if (clockStepped) {
            rows.put("right codes refused as expired by B after its clock step", Integer.toString(refusedAsExpiredAfterStep.get()));
            if (refusedAsExpiredAfterStep.get() > 0) {
                failures.add(refusedAsExpiredAfterStep.get() + " right codes refused as expired by B, whose clock is 120 s ahead"
                        + " (a code's expiry judged by the instance's wall clock, not the database's)");
            }
        }

        // 4. Duplicates (the same Message-ID twice) within what was in flight at the disruptions.
        Map<String, Long> byId = sink.mails.stream().collect(Collectors.groupingBy(Mail::messageId, Collectors.counting()));
        long duplicates = byId.values().stream().mapToLong(n -> n - 1).sum();
        int bound = 0;
        for (long t : disruptions.values()) bound += inFlightAt(t) + WORKERS;
        bound += sink.stalledAccepted.get();
        rows.put("SMTP replies 421/451 given by the sink", Integer.toString(sink.refused.get()));
        rows.put("emails received / duplicates (bound)", sink.mails.size() + " / " + duplicates + " (" + bound + ")");
        if (duplicates > bound) failures.add(duplicates + " duplicate emails, more than the " + bound + " in flight at the disruptions");

        // 5. 5xx: none outside fault windows, and 503 (never 500) inside them.
        long grace = 30_000;
        int outside = 0, inside503 = 0, inside500 = 0, connFailures = 0;
        for (Call k : calls) {
            if (k.status == 0) {
                connFailures++;
                continue;
            }
            if (k.status < 500) continue;
            boolean inWindow = windows.stream().anyMatch(w -> w.covers(k.at, k.at + k.millis, k.instance, grace));
            if (!inWindow) {
                outside++;
                if (outside <= 5) failures.add(k.status + " outside any fault window: " + k.op + " on " + k.instance + " at " + (k.at - begin) / 1000 + " s");
            } else if (k.status == 503) inside503++;
            else {
                inside500++;
                if (inside500 <= 5) failures.add(k.status + " (not 503) inside a fault window: " + k.op + " on " + k.instance + " at " + (k.at - begin) / 1000 + " s");
            }
        }
        rows.put("5xx outside fault windows", Integer.toString(outside));
        rows.put("503 / other 5xx inside fault windows", inside503 + " / " + inside500);
        rows.put("connection failures (killed instance, timeouts)", Integer.toString(connFailures));

        // Load held and latency, during and outside the fault windows.
        List<Call> loadCalls = calls.stream().filter(k -> k.at >= begin && k.at <= end && !k.op.startsWith("final")).toList();
        rows.put("load duration s", Long.toString((end - begin) / 1000));
        rows.put("machine load average (1 min), mean / max, " + Runtime.getRuntime().availableProcessors() + " CPUs",
                String.format("%.1f / %.1f", loadAverages.stream().mapToDouble(d -> d).average().orElse(0),
                        loadAverages.stream().mapToDouble(d -> d).max().orElse(0)));
        rows.put("operations (HTTP calls) / per second", loadCalls.size() + " / " + String.format("%.1f", loadCalls.size() * 1000.0 / (end - begin)));
        List<Long> inF = new ArrayList<>(), outF = new ArrayList<>();
        for (Call k : loadCalls) {
            boolean during = windows.stream().anyMatch(w -> k.at >= w.start && k.at <= w.end);
            (during ? inF : outF).add(k.millis);
        }
        rows.put("p50 / p99 ms outside faults", pct(outF, 50) + " / " + pct(outF, 99));
        rows.put("p50 / p99 ms during faults", pct(inF, 50) + " / " + pct(inF, 99));

        // 6. Takeover after each kill -9.
        synchronized (takeovers) {
            for (var e : takeovers.entrySet()) {
                rows.put("takeover after " + e.getKey() + ": rows being sent at the kill / whole backlog",
                        e.getValue() + " / " + backlogs.getOrDefault(e.getKey(), "n/a"));
                if (!CHECK_ONLY) {
                    Matcher m = Pattern.compile("^([0-9.]+) s").matcher(e.getValue());
                    if (!m.find() || Double.parseDouble(m.group(1)) > 30) failures.add("takeover after " + e.getKey() + ": " + e.getValue() + " (limit 30 s)");
                }
            }
        }
        for (String k : disruptions.keySet()) {
            if (k.startsWith("kill") && !takeovers.containsKey(k)) {
                // What the API says of each, to tell a slow takeover from a row that is settled.
                List<String> said = new ArrayList<>();
                synchronized (takeovers) {
                    for (String rcpt : awaitingTakeover.getOrDefault(k, Set.of())) {
                        Ver v = byRcpt.get(rcpt);
                        Answer r = v == null ? null : status.get(v);
                        String state = r == null ? "not read" : match(Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\""), r.body)
                                + ", delivery " + match(Pattern.compile("\"delivery\"\\s*:\\s*\\{\\s*\"status\"\\s*:\\s*\"([a-z_]+)\""), r.body)
                                + (mailsTo(rcpt).isEmpty() ? ", no email at all" : ", only an earlier code's email, before the kill");
                        said.add(rcpt + " (" + state + ")");
                    }
                }
                say("takeover after %s incomplete when the checks began: %s", k, said);
                rows.put("takeover after " + k, "the rows being sent at the kill were not all delivered when the checks began: " + said.size()
                        + " without an email since (see soak.log)");
                if (!CHECK_ONLY) failures.add("takeover after " + k + " not finished");
            }
        }

        // 7. Memory and files.
        for (Instance i : instances) rows.put("RSS MB of " + i.name + " (first half max / last quarter max)", rssTrend(i));
        rows.put("PostgreSQL data dir MB (start / end)", mb(pgSizes.get(0)[1]) + " / " + mb(pgSizes.get(pgSizes.size() - 1)[1]));
        long maxWal = sqliteSizes.stream().mapToLong(s -> s[2]).max().orElse(0);
        rows.put("SQLite file MB (start / end), largest WAL MB", mb(sqliteSizes.get(0)[1]) + " / " + mb(sqliteSizes.get(sqliteSizes.size() - 1)[1]) + ", " + mb(maxWal));
        if (maxWal > 64L << 20) failures.add("the SQLite WAL grew to " + mb(maxWal) + " MB");
        if (!CHECK_ONLY) {
            Instance steady = c; // never restarted
            long[] r = rssHalves(steady);
            if (r[0] > 0 && r[1] > r[0] * 1.3 + 20 * 1024) failures.add("C's RSS grew from " + r[0] / 1024 + " MB to " + r[1] / 1024 + " MB");
        }

        StringBuilder table = new StringBuilder();
        table.append(String.format("%n| check | value |%n|---|---|%n"));
        for (var e : rows.entrySet()) table.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
        table.append(String.format("%nFaults injected (seconds from the start of the load), and recovery:%n"));
        table.append(String.format("%n| fault | from | to | last API error after its start | every email waiting in it delivered, after its end |%n|---|---|---|---|---|%n"));
        for (Window w : windows) {
            table.append(String.format("| %s | %.0f s | %.0f s | %s | %s |%n", w.name, (w.start - begin) / 1000.0,
                    (w.end - begin) / 1000.0, apiRecovery(w, grace), deliveryRecovery(w, all)));
        }
        for (var d : disruptions.entrySet()) if (windows.stream().noneMatch(w -> w.name.equals(d.getKey()))) table.append(String.format("- %s: at %.0f s%n", d.getKey(), (d.getValue() - begin) / 1000.0));
        table.append(failures.isEmpty() ? "\nRESULT: every check passed\n" : "\nRESULT: FAILED\n- " + String.join("\n- ", failures) + "\n");
        System.out.print(table);
        try (PrintStream out = new PrintStream(Files.newOutputStream(OUT.resolve("verifications.tsv")), false, StandardCharsets.UTF_8)) {
            out.println("id\trecipient\tinstance\tpage\tacked\tcanceled\tresent\tuncertain");
            for (Ver v : all) {
                out.printf("%s\t%s\t%s\t%b\t%d\t%d\t%d\t%b%n", v.id, v.rcpt, v.startedOn.name, v.page, v.acked, v.canceledAt, v.resentAt, v.uncertain);
            }
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(OUT.resolve("calls.tsv")), false, StandardCharsets.UTF_8)) {
            out.println("at\tinstance\top\tstatus\tmillis");
            synchronized (calls) {
                for (Call k : calls) out.printf("%d\t%s\t%s\t%d\t%d%n", k.at, k.instance, k.op, k.status, k.millis);
            }
        }
        Files.writeString(OUT.resolve("table.md"), table);
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * When the last failed call (5xx or no answer) on an instance the window affects ended,
     * counted from the window's start: how long clients saw the fault.
     */
    String apiRecovery(Window w, long grace) {
        if (w.affects.isEmpty()) return "none expected";
        long last;
        synchronized (calls) {
            last = calls.stream()
                    .filter(k -> (k.status == 0 || k.status >= 500) && w.covers(k.at, k.at + k.millis, k.instance, grace))
                    .mapToLong(k -> k.at + k.millis).max().orElse(0);
        }
        return last == 0 ? "no error" : String.format("%.1f s", (last - w.start) / 1000.0);
    }

    /**
     * The verifications acknowledged before the window ended whose first email had not arrived when
     * it began (and that were not canceled): how long after the window's end the last of them
     * arrived. For an SMTP fault, the time to drain the backlog it built.
     */
    String deliveryRecovery(Window w, List<Ver> all) {
        long last = 0;
        int n = 0;
        for (Ver v : all) {
            if (v.acked > w.end || v.canceledAt != 0 || v.uncertain) continue;
            long first = mailsTo(v.rcpt).stream().mapToLong(Mail::accepted).min().orElse(0);
            if (first == 0 || first < w.start) continue;
            n++;
            last = Math.max(last, first);
        }
        return n == 0 ? "none waiting" : String.format("%.1f s (%d emails)", Math.max(0, last - w.end) / 1000.0, n);
    }

    static String pct(List<Long> values, int p) {
        if (values.isEmpty()) return "n/a";
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return Long.toString(s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * p / 100.0) - 1)));
    }

    static String mb(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    long[] rssHalves(Instance i) {
        List<long[]> s = i.rss;
        if (s.size() < 8) return new long[] {0, 0};
        long first = s.subList(0, s.size() / 2).stream().mapToLong(x -> x[1]).max().orElse(0);
        long last = s.subList(s.size() * 3 / 4, s.size()).stream().mapToLong(x -> x[1]).max().orElse(0);
        return new long[] {first, last};
    }

    String rssTrend(Instance i) {
        long[] r = rssHalves(i);
        return r[0] == 0 ? "n/a" : r[0] / 1024 + " / " + r[1] / 1024;
    }
}
