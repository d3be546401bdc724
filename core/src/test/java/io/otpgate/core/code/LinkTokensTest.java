package io.otpgate.core.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.id.VerificationId;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LinkTokensTest {

    private static final ServerSecret SECRET = ServerSecret.of(List.of(key(7)));
    private static final VerificationId ID = new VerificationId("ver_0123456789abcdefghjkmnpqrs");
    private static final VerificationId OTHER = new VerificationId("ver_0123456789abcdefghjkmnpqrt");

    private final LinkTokens tokens = new LinkTokens(SECRET, new SecureRandom());

    @Test
    void tokenOpensToTheCodeItWasIssuedFor() {
        String token = tokens.issue(ID, OneTimeCode.of("012345".toCharArray()));

        assertThat(tokens.open(ID, token)).map(OneTimeCode::reveal).contains("012345");
    }

    @Test
    void tokenIsUrlSafeAndDoesNotContainTheCode() {
        String token = tokens.issue(ID, OneTimeCode.of("012345".toCharArray()));

        assertThat(token).matches("[A-Za-z0-9_-]+").doesNotContain("012345");
    }

    @Test
    void tokenForOneVerificationDoesNotOpenForAnother() {
        String token = tokens.issue(ID, OneTimeCode.of("012345".toCharArray()));

        assertThat(tokens.open(OTHER, token)).isEmpty();
    }

    @Test
    void outboxDataIsNotALinkToken() {
        byte[] sealed =
                new CodeSealer(SECRET, new SecureRandom()).seal(ID.value(), OneTimeCode.of("012345".toCharArray()));
        String asToken = Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);

        assertThat(tokens.open(ID, asToken)).isEmpty();
    }

    @Test
    void tokenUnderAnotherSecretDoesNotOpen() {
        String token = new LinkTokens(ServerSecret.of(List.of(key(8))), new SecureRandom())
                .issue(ID, OneTimeCode.of("012345".toCharArray()));

        assertThat(tokens.open(ID, token)).isEmpty();
    }

    static Stream<String> hostileTokens() {
        String valid = new LinkTokens(SECRET, new SecureRandom()).issue(ID, OneTimeCode.of("012345".toCharArray()));
        char flipped = valid.charAt(10) == 'A' ? 'B' : 'A';
        return Stream.of(
                "",
                "short",
                valid.substring(0, valid.length() - 1),
                valid.substring(0, 10) + flipped + valid.substring(11),
                valid + "AAAA",
                valid.replace(valid.charAt(5), '+'),
                "A".repeat(5_000),
                "../../etc/passwd",
                valid + "\r\nX-Evil: 1");
    }

    @ParameterizedTest
    @MethodSource("hostileTokens")
    void malformedOrTamperedTokensOpenToNothing(String token) {
        assertThat(tokens.open(ID, token)).isEmpty();
    }

    @Test
    void nullTokenOpensToNothing() {
        assertThat(tokens.open(ID, null)).isEmpty();
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }
}
