package io.otpgate.jdbc;

import io.otpgate.core.code.ServerSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * Ties a database to the server secret its data was made under. Code hashes, API key hashes and
 * sealed codes are all keyed by the secret: opened under another one, every stored code would be
 * "wrong" and every stored key refused, in silence. So the database keeps a fingerprint derived
 * from the secret (an HMAC under it, which says nothing of the secret) and a start under a secret
 * that matches neither the current key nor an older key of a rotation is refused.
 */
final class SecretFingerprint {

    private static final String LABEL = "otpgate database fingerprint";

    private SecretFingerprint() {}

    /**
     * Records {@code secret}'s fingerprint in a database that has none; moves it to the current key
     * when the stored one is an older key of the rotation; refuses any other secret.
     *
     * @throws IllegalStateException when the database was made under another secret
     */
    static void require(Transactions tx, ServerSecret secret) {
        List<String> fingerprints =
                secret.derive(LABEL).stream().map(HexFormat.of()::formatHex).toList();
        String current = fingerprints.get(0);
        // A read first: every start but the first and a rotation's finds its own fingerprint, and
        // needs no write (which another process holding the file could delay).
        String stored = tx.read(SecretFingerprint::stored);
        boolean known = stored != null && stored.equals(current)
                || tx.write(c -> {
                    String now = stored(c);
                    if (now == null) {
                        Sql.update(c, "INSERT INTO server_secret (id, fingerprint) VALUES (1, ?)", current);
                        return true;
                    }
                    if (!fingerprints.contains(now)) {
                        return false;
                    }
                    if (!now.equals(current)) {
                        Sql.update(c, "UPDATE server_secret SET fingerprint = ? WHERE id = 1", current);
                    }
                    return true;
                });
        if (!known) {
            throw new IllegalStateException("the database was created under another secret (OTPGATE_SECRET or the"
                    + " data dir's secret file): its codes and API keys would not verify under this one");
        }
    }

    private static String stored(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM server_secret WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
