package io.otpgate.cli.config;

import io.otpgate.core.code.ServerSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The server secret: {@code OTPGATE_SECRET} (comma-separated for rotation: the first signs, all
 * verify), or else a key generated once into {@code <data dir>/secret}.
 *
 * <p>The file is a {@link PrivateFile}: mode 600 and complete from the moment it exists; the data
 * directory itself is made mode 700.
 */
public final class SecretFile {

    static final String FILE_NAME = "secret";
    static final int MIN_LENGTH = 32;

    private SecretFile() {}

    public static ServerSecret resolve(Optional<String> configured, Path dataDir, SecureRandom random) {
        if (configured.isPresent()) {
            List<byte[]> keys = Arrays.stream(configured.get().split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.getBytes(StandardCharsets.UTF_8))
                    .toList();
            for (byte[] key : keys) {
                if (key.length < MIN_LENGTH) {
                    throw new ConfigurationException(
                            List.of(SettingsLoader.PREFIX + "SECRET: each key must be at least " + MIN_LENGTH
                                    + " characters (generate one with: openssl rand -base64 32)"));
                }
            }
            if (keys.isEmpty()) {
                throw new ConfigurationException(List.of(SettingsLoader.PREFIX + "SECRET is empty"));
            }
            return ServerSecret.of(keys);
        }
        return ServerSecret.of(List.of(readOrCreate(dataDir, random).getBytes(StandardCharsets.UTF_8)));
    }

    private static String readOrCreate(Path dataDir, SecureRandom random) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            DataDir.create(dataDir);
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
                if (PrivateFile.createIfAbsent(file, encoded + "\n")) {
                    return encoded;
                }
                // another process got there first: read theirs
            }
            String stored = Files.readString(file).strip();
            if (stored.length() < MIN_LENGTH) {
                throw new ConfigurationException(
                        List.of(file + " holds no usable secret; delete it to generate a new one "
                                + "(codes in flight will stop working)"));
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }
}
