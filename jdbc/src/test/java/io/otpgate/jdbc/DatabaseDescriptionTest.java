package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Database#describe} goes to logs and banners: it says where the data is, never a credential. */
class DatabaseDescriptionTest {

    @Test
    void anSqliteFileIsDescribedByItsPath() {
        assertThat(Database.describe("jdbc:sqlite:/srv/otpgate-data/otpgate.db"))
                .isEqualTo("SQLite file /srv/otpgate-data/otpgate.db");
    }

    @Test
    void aPostgresqlUrlIsDescribedByHostAndDatabaseWithoutCredentials() {
        assertThat(Database.describe("jdbc:postgresql://db.internal:5432/otpgate?user=otp&password=secret&ssl=true"))
                .isEqualTo("PostgreSQL db.internal:5432/otpgate");
        assertThat(Database.describe("jdbc:postgresql://otp:secret@db.internal/otpgate"))
                .isEqualTo("PostgreSQL db.internal/otpgate");
        assertThat(Database.describe("jdbc:postgresql://a:5432,b:5433/otpgate?targetServerType=primary"))
                .isEqualTo("PostgreSQL a:5432,b:5433/otpgate");
        assertThat(Database.describe("jdbc:postgresql:otpgate?password=secret"))
                .isEqualTo("PostgreSQL localhost/otpgate");
    }

    @Test
    void anyOtherUrlLosesItsSettingsAndUserInfo() {
        assertThat(Database.describe("jdbc:other://otp:secret@host/db;password=secret?token=secret"))
                .isEqualTo("jdbc:other://host/db")
                .doesNotContain("secret");
    }
}
