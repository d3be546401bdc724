package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Small JDBC conveniences shared by the stores: binding values and running updates. */
final class Sql {

  private Sql() {}

  /**
   * Both databases keep microseconds; truncating here makes a stored instant compare equal to the
   * one the engine holds.
   */
  static OffsetDateTime time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(instant(rs, column));
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      bind(ps, i + 1, params[i]);
    }
    return ps;
  }

  /**
   * A null goes untyped: PostgreSQL then takes the type from the column it is compared with or
   * assigned to ({@code SET col = ?}, {@code VALUES (?)}, {@code col = ?}). So a null parameter
   * must always stand next to a column, never alone as in {@code ? IS NULL}, which PostgreSQL
   * refuses ("could not determine data type of parameter").
   */
  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof Instant instant) {
      ps.setObject(index, time(instant));
    } else if (value instanceof byte[] bytes) {
      ps.setBytes(index, bytes);
    } else {
      ps.setObject(index, value);
    }
  }
}
