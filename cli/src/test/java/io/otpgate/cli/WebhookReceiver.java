package io.otpgate.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * A real HTTP endpoint on loopback (the JDK's HttpServer on a free port) that keeps every request
 * it receives and answers with the status {@link #answer} gives, after {@link #delay}.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived: the three Standard Webhooks headers (lower case) and the body. */
    record Received(Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    volatile IntSupplier answer = () -> 204;
    volatile Duration delay = Duration.ZERO;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new TreeMap<>();
            for (String name : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
                headers.put(name, exchange.getRequestHeaders().getFirst(name));
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = answer.getAsInt();
            synchronized (received) {
                if (status >= 200 && status < 300) {
                    received.add(new Received(headers, body));
                }
                received.notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Requests of any outcome that reached the endpoint so far. */
    int requests() {
        return requests.get();
    }

    /** Waits up to 60 s for an accepted message whose body matches. */
    Received await(Predicate<String> body) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        synchronized (received) {
            while (true) {
                for (Received r : received) {
                    if (body.test(r.body())) {
                        return r;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such webhook arrived in 60 s; received: " + received);
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
