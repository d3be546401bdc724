package io.otpgate.cli;

import io.otpgate.cli.config.SecretFile;
import io.otpgate.jdbc.Database;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/** A test's own connection to the embedded database of a data dir the CLI made, as another process would open it. */
final class DataDirDatabase {

    private DataDirDatabase() {}

    /** Opens with the password derived from the data dir's secret file, the only one it accepts. */
    static Database open(Path dataDir, int poolSize) {
        return Database.openEmbedded(
                dataDir, SecretFile.resolve(Optional.empty(), dataDir, new SecureRandom()), poolSize);
    }
}
