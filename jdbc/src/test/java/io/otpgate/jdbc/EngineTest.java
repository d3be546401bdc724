package io.otpgate.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the engine on a fresh database of one kind for each test method: an SQLite file in a
 * temporary directory, or a new database on the shared embedded PostgreSQL server. Subclasses are
 * abstract and run on each kind by their {@code …OnSqliteTest} and {@code …OnPostgresTest}.
 */
abstract class EngineTest {

    final DatabaseKind kind;

    @TempDir
    Path dir;

    /** This test's database, fresh. */
    TestDatabase db;

    EngineFixture engine;

    EngineTest(DatabaseKind kind) {
        this.kind = kind;
    }

    /** The engine on {@code db}, with the fixture's policy; a test that needs another overrides this. */
    EngineFixture openEngine(TestDatabase db) {
        return new EngineFixture(db);
    }

    @BeforeEach
    final void openDatabase() {
        db = kind.fresh(dir);
        engine = openEngine(db);
    }

    @AfterEach
    final void closeDatabase() {
        engine.close();
    }
}
