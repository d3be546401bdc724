package io.otpgate.server;

import java.util.List;
import java.util.Set;

/** One hostile request of {@link FuzzTest}: sent with HttpClient, or as raw bytes on a socket. */
sealed interface Probe permits Probe.Http, Probe.Raw {

    String category();

    /** Enough to send the same request again by hand. */
    String reproducer();

    /**
     * A request HttpClient can send. {@code chunked} sends the body without a Content-Length.
     *
     * @param headers name, value, name, value…
     */
    record Http(
            String category,
            String method,
            String path,
            List<String> headers,
            byte[] body,
            boolean chunked,
            Expect expect)
            implements Probe {

        @Override
        public String reproducer() {
            StringBuilder out =
                    new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\\r\\n");
            for (int i = 0; i < headers.size(); i += 2) {
                String value = headers.get(i + 1).startsWith("Bearer " + ServiceFixture.KEY)
                        ? "Bearer <KEY>" + headers.get(i + 1).substring(7 + ServiceFixture.KEY.length())
                        : headers.get(i + 1);
                out.append(headers.get(i)).append(": ").append(value).append("\\r\\n");
            }
            out.append(chunked ? "(chunked) " : "").append("body=").append(HostileValues.printable(body, 600));
            return out.toString();
        }
    }

    /** Bytes HttpClient refuses to send: broken request lines, bad header bytes, lying lengths. */
    record Raw(String category, byte[] bytes) implements Probe {
        @Override
        public String reproducer() {
            return "raw bytes: " + HostileValues.printable(bytes, 600);
        }
    }

    /**
     * What the answer to an {@link Http} probe must be beyond the rules every probe obeys.
     *
     * @param statuses allowed statuses; empty means any non-5xx the general rules allow
     * @param codes allowed problem codes; empty means any code {@code openapi.json} lists
     * @param mentions a word the problem's detail must contain, or null
     */
    record Expect(Set<Integer> statuses, Set<String> codes, String mentions) {

        static final Expect ANY = new Expect(Set.of(), Set.of(), null);

        static Expect problem(int status, String code) {
            return new Expect(Set.of(status), Set.of(code), null);
        }

        static Expect oneOf(Set<Integer> statuses, Set<String> codes) {
            return new Expect(statuses, codes, null);
        }

        Expect mentioning(String word) {
            return new Expect(statuses, codes, word);
        }
    }
}
