package io.otpgate.cli;

import io.otpgate.cli.config.SecretFile;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.Sync;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/** A test's own connection to the embedded database of a data dir the CLI made, as another process would open it. */
final class DataDirDatabase {

    private DataDirDatabase() {}

    /** Opens the data dir's SQLite file, as the CLI opens it. */
    static Database open(Path dataDir, int poolSize) {
        return Database.openEmbedded(
                dataDir, SecretFile.resolve(Optional.empty(), dataDir, new SecureRandom()), poolSize, Sync.FULL);
    }
}
