package io.otpgate.jdbc;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.EmailAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link CapturedEmails} on JDBC: the dev mailbox shared by every process on the database. */
final class JdbcCapturedEmails implements CapturedEmails {

    private static final String INSERT = """
      INSERT INTO dev_mailbox (to_address, subject, text_body, html_body, received_at) VALUES (?, ?, ?, ?, ?)
      RETURNING id, to_address, subject, text_body, html_body, received_at
      """;

    /**
     * Identity values only grow (one sequence, shared by every process through the database), so the
     * ids at or below the new one minus {@code keep} are exactly the older emails beyond the bound.
     */
    private static final String TRIM = """
      DELETE FROM dev_mailbox WHERE id <= ?
      """;

    private static final String NEWEST = """
      SELECT id, to_address, subject, text_body, html_body, received_at FROM dev_mailbox ORDER BY id DESC LIMIT ?
      """;

    private static final String AFTER = """
      SELECT id, to_address, subject, text_body, html_body, received_at FROM dev_mailbox WHERE id > ? ORDER BY id
      """;

    private final Transactions tx;

    JdbcCapturedEmails(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public CapturedEmail capture(OutgoingEmail email, Instant receivedAt, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be positive");
        }
        return tx.write(c -> {
            CapturedEmail captured;
            // The stored row as read back: its number, and its time as the database keeps it.
            try (PreparedStatement ps = Sql.prepare(
                            c, INSERT, email.to().value(), email.subject(), email.text(), email.html(), receivedAt);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                captured = email(rs);
            }
            Sql.update(c, TRIM, captured.number() - keep);
            return captured;
        });
    }

    @Override
    public List<CapturedEmail> newest(int limit) {
        return query(NEWEST, limit);
    }

    @Override
    public List<CapturedEmail> after(long number) {
        return query(AFTER, number);
    }

    private List<CapturedEmail> query(String sql, Object parameter) {
        return tx.read(c -> {
            List<CapturedEmail> emails = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, sql, parameter);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    emails.add(email(rs));
                }
            }
            return emails;
        });
    }

    private static CapturedEmail email(ResultSet rs) throws SQLException {
        return new CapturedEmail(
                rs.getLong("id"),
                EmailAddress.parse(rs.getString("to_address")).orElseThrow(),
                rs.getString("subject"),
                rs.getString("text_body"),
                rs.getString("html_body"),
                Sql.instant(rs, "received_at"));
    }
}
