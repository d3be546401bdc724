package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 1 of issue 11: {@code /metrics} tagged requests with the raw method, so made-up methods
 * grew it without bound until the server answered 500 with OutOfMemoryError. Here 50,000 requests,
 * each with its own made-up method, path and headers, arrive over real HTTP on sockets, and the
 * number of series in {@code /metrics} must not move.
 */
class MetricsFloodTest {

    private static final int WARM_UP = 2_000;
    private static final int FLOOD = 50_000;
    /** Pipelined on one connection: a socket per request would measure the kernel, not the server. */
    private static final int PER_CONNECTION = 500;

    private static final Pattern LABEL = Pattern.compile("(method|route|status)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    ServiceFixture service;
    ExecutorService connections;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir);
        connections = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() {
        connections.shutdownNow();
        service.close();
    }

    @Test
    void fiftyThousandMadeUpMethodsPathsAndHeadersAddNoSeries() throws Exception {
        send(0, WARM_UP); // every shape of request once, so each series that can exist exists
        scrape();
        String before = scrape();
        long heapBefore = usedHeapAfterGc();

        send(WARM_UP, WARM_UP + FLOOD);
        String after = scrape();
        long heapAfter = usedHeapAfterGc();

        assertThat(series(after)).as("series in /metrics").isEqualTo(series(before));
        assertThat(labelValues(after))
                .as("label values")
                .isEqualTo(labelValues(before))
                .contains("method=OTHER", "route=unmatched", "route=/v1/verifications/{id}", "route=/verify/{id}")
                .noneMatch(label -> label.contains("FUZZ") || label.contains("/made/up"));
        // Each series costs kilobytes (a histogram); 50,000 of them would be hundreds of megabytes.
        assertThat(heapAfter - heapBefore)
                .as("heap growth over %d requests, in bytes", FLOOD)
                .isLessThan(64L * 1024 * 1024);
    }

    @Test
    void labelsAreClosedSets() {
        assertThat(ApiMetrics.methodLabel("GET")).isEqualTo("GET");
        assertThat(ApiMetrics.methodLabel("get")).isEqualTo("OTHER");
        assertThat(ApiMetrics.methodLabel("PROPFIND")).isEqualTo("OTHER");
        assertThat(ApiMetrics.methodLabel("X".repeat(200))).isEqualTo("OTHER");
        assertThat(ApiMetrics.statusLabel(429)).isEqualTo("429");
        assertThat(ApiMetrics.statusLabel(418)).isEqualTo("4xx");
        assertThat(ApiMetrics.statusLabel(599)).isEqualTo("5xx");
    }

    /** Requests {@code from} to {@code to}, each different from every other, on four connections at once. */
    private void send(int from, int to) throws Exception {
        List<Future<Integer>> answered = new ArrayList<>();
        for (int start = from; start < to; start += PER_CONNECTION) {
            int first = start;
            int last = Math.min(to, start + PER_CONNECTION);
            answered.add(connections.submit(() -> pipeline(first, last)));
        }
        int total = 0;
        for (Future<Integer> n : answered) {
            total += n.get();
        }
        assertThat(total).as("answers to requests %d to %d", from, to).isEqualTo(to - from);
    }

    private int pipeline(int first, int last) throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = first; i < last; i++) {
            requests.append(request(i));
        }
        RawRequests.Answer answer =
                RawRequests.send(service.server.port(), requests.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer.statuses()).as("statuses").allMatch(s -> s < 500);
        return answer.statuses().size();
    }

    /**
     * Request {@code i}: its method, path and headers are its own, while the shapes (which route it
     * reaches, whether it authenticates) cycle, so the warm-up meets every shape.
     */
    private static String request(int i) {
        SplittableRandom random = new SplittableRandom(i);
        String n = Integer.toString(i, 36);
        String method = switch (i % 5) {
            case 0 -> "FUZZ" + n.toUpperCase(java.util.Locale.ROOT);
            case 1 -> "fuzz" + n;
            case 2 -> "GET";
            case 3 -> "POST";
            default -> "PROPFIND";
        };
        String path = switch (i / 5 % 7) {
            case 0 -> "/made/up/" + n;
            case 1 -> "/v1/verifications/" + unknownId(random);
            case 2 -> "/v1/" + n + "/x?q=" + n;
            case 3 -> "/verify/" + n;
            case 4 -> "/assets/" + n + ".css";
            case 5 -> "/%7E" + n + "/%C3%A9";
            default -> "/metrics/" + n;
        };
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: x\r\n")
                .append("X-Made-Up-")
                .append(n)
                .append(": ")
                .append(random.nextLong())
                .append("\r\nX-Request-Id: req-")
                .append(n)
                .append("\r\nAccept-Language: x-")
                .append(n)
                .append("\r\nUser-Agent: fuzz/")
                .append(n)
                .append("\r\n");
        if (i / 35 % 2 == 0) {
            head.append("Authorization: ").append(ProbeKit.AUTH).append("\r\n");
        }
        return head.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static String unknownId(SplittableRandom random) {
        String crockford = "0123456789abcdefghjkmnpqrstvwxyz";
        StringBuilder id = new StringBuilder("ver_");
        for (int k = 0; k < 26; k++) {
            id.append(crockford.charAt(random.nextInt(crockford.length())));
        }
        return id.toString();
    }

    private String scrape() {
        ServiceFixture.Reply reply = service.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }

    private static long series(String metrics) {
        return metrics.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .count();
    }

    private static Set<String> labelValues(String metrics) {
        Set<String> values = new TreeSet<>();
        Matcher m = LABEL.matcher(metrics);
        while (m.find()) {
            values.add(m.group(1) + "=" + m.group(2));
        }
        return values;
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
