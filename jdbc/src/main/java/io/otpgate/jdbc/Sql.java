package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Small JDBC conveniences shared by the stores: binding values and running updates. */
final class Sql {

    private Sql() {}

    /** A time column: epoch milliseconds on SQLite, a timestamp on PostgreSQL ({@link Dialect}). */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Dialect.of(rs.getStatement().getConnection()).instant(rs, column);
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }

    /** Values per {@code IN (…)} list: well under both drivers' limits on bound parameters. */
    static final int IN_CHUNK = 500;

    /** {@code values} cut into lists of at most {@link #IN_CHUNK}, for {@code IN (…)} queries. */
    static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(values);
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
        }
        return chunks;
    }

    /** The placeholders of an {@code IN (…)} list of {@code count} values. */
    static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** One statement run once per row of parameters, as one JDBC batch; the rows' update counts. */
    static int[] batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        Dialect dialect = Dialect.of(c);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bindAll(ps, dialect, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bindAll(ps, Dialect.of(c), params);
        return ps;
    }

    private static void bindAll(PreparedStatement ps, Dialect dialect, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            bind(ps, dialect, i + 1, params[i]);
        }
    }

    /**
     * A null goes untyped: PostgreSQL then takes the type from the column it is compared with or
     * assigned to ({@code SET col = ?}, {@code VALUES (?)}, {@code col = ?}). So a null parameter
     * must always stand next to a column, never alone as in {@code ? IS NULL}, which PostgreSQL
     * refuses ("could not determine data type of parameter").
     */
    private static void bind(PreparedStatement ps, Dialect dialect, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            dialect.bind(ps, index, instant);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else {
            ps.setObject(index, value);
        }
    }
}
