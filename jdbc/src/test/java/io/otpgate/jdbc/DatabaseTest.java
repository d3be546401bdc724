package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a database: the schema is migrated once, on the database asked for; run by {@code DatabaseOn…Test}. */
abstract class DatabaseTest {

  private final DatabaseKind kind;
  @TempDir Path dir;

  DatabaseTest(DatabaseKind kind) {
    this.kind = kind;
  }

  @Test
  void reopeningFindsTheSchemaMigratedAndTheDataKept() {
    TestDatabase db = kind.fresh(dir);
    try (EngineFixture first = new EngineFixture(db)) {
      first.start("ada@example.com");
    }

    try (EngineFixture again = new EngineFixture(db)) {
      assertThat(again.count("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")).isZero();
      assertThat(again.count("SELECT COUNT(*) FROM verifications")).isEqualTo(1);
    }
  }

  @Test
  void runsOnTheDatabaseItWasGiven() throws Exception {
    try (Database database = kind.fresh(dir).open(2);
        Connection c = database.dataSource().getConnection()) {
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo(kind.productName());
      assertThat(database.describe()).startsWith(kind.productName());
    }
  }
}
