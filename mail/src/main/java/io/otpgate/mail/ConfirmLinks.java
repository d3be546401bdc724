package io.otpgate.mail;

import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.id.VerificationId;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The confirm link of an email: {@code <public URL>/confirm/<verification id>/<token>}. Opening it
 * shows a page whose button approves, so a mail scanner that follows links approves nothing.
 */
final class ConfirmLinks {

    private final String base;
    private final LinkTokens tokens;

    private ConfirmLinks(String base, LinkTokens tokens) {
        this.base = base;
        this.tokens = tokens;
    }

    /**
     * Checks the public URL once, at start-up: every link in every email is built on it, and it must
     * not come from a request's Host header.
     */
    static ConfirmLinks of(URI publicUrl, LinkTokens tokens) {
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(tokens, "tokens");
        String scheme =
                publicUrl.getScheme() == null ? "" : publicUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!publicUrl.isAbsolute()
                || publicUrl.isOpaque()
                || !(scheme.equals("http") || scheme.equals("https"))
                || publicUrl.getHost() == null) {
            throw new IllegalArgumentException(
                    "the public URL must be an absolute http or https URL such as https://verify.example.com,"
                            + " not "
                            + publicUrl);
        }
        if (publicUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the public URL must not carry a user name or password");
        }
        if (publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the public URL must not have a query or a fragment");
        }
        String path = publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath();
        // One slash between the base and /confirm, however many the operator typed.
        String base = scheme + "://" + publicUrl.getRawAuthority() + path.replaceAll("/+$", "");
        return new ConfirmLinks(base, tokens);
    }

    /** The link that confirms {@code code} for {@code id}; the token is the code sealed to the id. */
    String linkFor(VerificationId id, OneTimeCode code) {
        return base + "/confirm/" + id.value() + "/" + tokens.issue(id, code);
    }
}
