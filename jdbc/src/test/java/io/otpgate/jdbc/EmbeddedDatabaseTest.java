package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otpgate.core.code.ServerSecret;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 database lets a second process share its file through a TCP listener (AUTO_SERVER).
 * Nothing of OTPGate may listen beyond the configured HTTP address: the listener is on loopback
 * only, and it admits only the password derived from the server secret.
 */
class EmbeddedDatabaseTest {

    private static final ServerSecret SECRET = secret('a');
    private static final ServerSecret OTHER = secret('b');

    @TempDir
    Path dir;

    @Test
    void theAutoServerListensOnLoopbackOnly() throws Exception {
        try (Database db = Database.openEmbedded(dir, SECRET, 2);
                Connection held = db.dataSource().getConnection()) {
            int port = autoServerPort();

            assertThat(listeningAddresses(port))
                    .isNotEmpty()
                    .allSatisfy(address -> assertThat(address)
                            .as("listening address (hex, from /proc/net)")
                            .isIn("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"));
            try (Socket loopback = new Socket()) {
                loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            }
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> {
                            try (Socket outside = new Socket()) {
                                outside.connect(new InetSocketAddress(address, port), 5_000);
                            }
                        })
                        .as("connecting through " + address)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void saWithAnEmptyPasswordIsRefusedInProcessAndOverTheAutoServer() throws Exception {
        try (Database db = Database.openEmbedded(dir, SECRET, 2);
                Connection held = db.dataSource().getConnection()) {
            String remote = autoServerUrl();

            assertRefused(() -> DriverManager.getConnection(Database.embeddedUrl(dir), "sa", ""));
            assertRefused(() -> DriverManager.getConnection(remote, "sa", ""));
            assertRefused(() -> DriverManager.getConnection(remote, "sa", "sa"));
            try (Connection allowed = DriverManager.getConnection(remote, "sa", password(SECRET))) {
                assertThat(allowed.isValid(5))
                        .as("the refusals above are about the password")
                        .isTrue();
            }
        }
    }

    @Test
    void twoProcessesWithTheSameSecretShareTheDatabase() {
        try (Database server = Database.openEmbedded(dir, SECRET, 2);
                Database cli = Database.openEmbedded(dir, SECRET, 2)) {
            assertThat(cli.describe()).isEqualTo(server.describe());
        }
    }

    @Test
    void aDataDirFromBeforeThePasswordGetsOneAtItsNextOpen() throws Exception {
        Database.open(Database.embeddedUrl(dir), "sa", "", 2).close();

        Database.openEmbedded(dir, SECRET, 2).close();

        assertRefused(() -> DriverManager.getConnection(Database.embeddedUrl(dir), "sa", ""));
    }

    @Test
    void aRotatedSecretMovesThePasswordToTheNewKey() throws Exception {
        Database.openEmbedded(dir, SECRET, 2).close();

        Database.openEmbedded(dir, ServerSecret.of(List.of(key('b'), key('a'))), 2)
                .close();

        Database.openEmbedded(dir, OTHER, 2).close();
        assertRefused(() -> DriverManager.getConnection(Database.embeddedUrl(dir), "sa", password(SECRET)));
    }

    @Test
    void anotherSecretCannotOpenTheDatabase() {
        Database.openEmbedded(dir, SECRET, 2).close();

        assertThatThrownBy(() -> Database.openEmbedded(dir, OTHER, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refuses the password derived from the server secret");
    }

    private interface Connect {
        Connection open() throws SQLException;
    }

    private static void assertRefused(Connect connect) {
        assertThatThrownBy(() -> connect.open().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(28000));
    }

    private Properties lock() throws IOException {
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("otpgate.lock.db"), StandardCharsets.ISO_8859_1)) {
            lock.load(in);
        }
        return lock;
    }

    private int autoServerPort() throws IOException {
        String server = lock().getProperty("server");
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    /** What an H2 client in AUTO_SERVER mode connects to: the listener, and the database's key. */
    private String autoServerUrl() throws IOException {
        Properties lock = lock();
        return "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id");
    }

    /** The local addresses of LISTEN sockets on {@code port}, as the kernel lists them. */
    private static List<String> listeningAddresses(int port) throws IOException {
        assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "needs Linux's /proc/net");
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(table))
                    .subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (fields[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(local[0]);
                }
            }
        }
        return addresses;
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> !a.isLinkLocalAddress()).forEach(addresses::add);
            }
        }
        return addresses;
    }

    private static String password(ServerSecret secret) {
        return java.util.HexFormat.of()
                .formatHex(secret.derive("otpgate h2 password").get(0));
    }

    private static byte[] key(char fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static ServerSecret secret(char fill) {
        return ServerSecret.of(List.of(key(fill)));
    }
}
