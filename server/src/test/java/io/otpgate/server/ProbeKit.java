package io.otpgate.server;

import io.otpgate.server.Probe.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the probe generators share: the seeded random source, fresh addresses (so a request that
 * wrongly succeeds is never hidden by the per-address hourly limit), and request shapes.
 */
final class ProbeKit {

    static final String START = "/v1/verifications";
    static final String BATCH = "/v1/verifications/batch";
    static final String CHECK_BY_EMAIL = "/v1/verifications/check";
    static final String AUTH = "Bearer " + ServiceFixture.KEY;
    /**
     * Invalid on purpose and validated after every other field of a start, so a request built to
     * exercise one odd but legal value (an emoji in a name) still never starts a verification.
     */
    static final String GUARD_LOCALE = "\"zz!guard\"";
    /** For batches, where the purpose applies to every recipient and is validated after email and name. */
    static final String GUARD_PURPOSE = "\"Not A Purpose!\"";
    /** An address a single mutated byte cannot repair (three extra @, no dot). */
    static final String BROKEN_EMAIL = "\"@@fuzz@@host@\"";

    private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    final SplittableRandom random;
    private int addresses;

    ProbeKit(SplittableRandom random) {
        this.random = random;
    }

    /** A valid address no other probe uses. */
    String email() {
        return "fuzz" + (addresses++) + "@example.com";
    }

    String emailJson() {
        return HostileValues.jsonString(email(), true);
    }

    /** A well-formed verification id that does not exist. */
    String unknownId() {
        StringBuilder id = new StringBuilder("ver_");
        for (int i = 0; i < 26; i++) {
            id.append(CROCKFORD[random.nextInt(CROCKFORD.length)]);
        }
        return id.toString();
    }

    String checkPath() {
        return "/v1/verifications/" + unknownId() + "/check";
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    boolean coin() {
        return random.nextBoolean();
    }

    /** A string literal, randomly all-ASCII with escapes or raw UTF-8: both reach the same parser differently. */
    String str(String value) {
        return HostileValues.jsonString(value, coin());
    }

    static Probe.Http post(String category, String path, String body, Expect expect) {
        return post(category, path, HostileValues.utf8(body), expect);
    }

    static Probe.Http post(String category, String path, byte[] body, Expect expect) {
        return new Probe.Http(
                category,
                "POST",
                path,
                List.of("Content-Type", "application/json", "Authorization", AUTH),
                body,
                false,
                expect);
    }

    static Probe.Http request(
            String category, String method, String path, List<String> headers, byte[] body, Expect expect) {
        return new Probe.Http(category, method, path, headers, body, false, expect);
    }

    static List<String> headers(String... namesAndValues) {
        return new ArrayList<>(List.of(namesAndValues));
    }
}
