package io.otpgate.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM, from the binaries zonky ships as Maven artifacts (no
 * download, works as root). It starts on first use, because initdb and start-up take seconds while
 * {@code CREATE DATABASE} takes milliseconds: each test gets a database of its own on it. Zonky
 * stops the server and deletes its data directory in a JVM shutdown hook.
 */
public final class EmbeddedPostgresServer {

    private static EmbeddedPostgresServer shared;

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            shared = new EmbeddedPostgresServer(start());
        }
        return shared;
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder()
                    // Zonky turns this off for speed; production keeps PostgreSQL's default, under which
                    // commit() returns only once the commit is durable. Test what production runs.
                    .setServerConfig("synchronous_commit", "on")
                    // The C locale exists on every machine; initdb fails on a LANG that is not installed.
                    .setLocaleConfig("locale", "C")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    public TestDatabase createDatabase() {
        String name = "otpgate_" + databases.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new TestDatabase("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", "");
    }
}
