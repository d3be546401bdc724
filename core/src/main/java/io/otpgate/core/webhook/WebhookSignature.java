package io.otpgate.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com, "Signature scheme"): HMAC-SHA256 under the
 * endpoint's secret of {@code msg_id.timestamp.body}, where the timestamp is whole seconds since the
 * epoch, written {@code v1,<base64>} in the {@code webhook-signature} header. The id and timestamp
 * are signed so that a receiver can refuse a replayed message and an old one.
 */
final class WebhookSignature {

    private WebhookSignature() {}

    public static String sign(WebhookSecret secret, String messageId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            byte[] signed =
                    mac.doFinal((messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
