package io.otpgate.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real SMTP server on a free loopback port that speaks just enough SMTP (greeting, EHLO, MAIL,
 * RCPT, DATA, RSET, NOOP, QUIT) to inject the faults GreenMail cannot: scripted replies per
 * message, or silence. It never offers STARTTLS or AUTH. It records every command line and counts
 * connections.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket listener;
    private final boolean silent;
    private final IntFunction<String> rcptReply;
    private final IntFunction<String> dataReply;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ScriptedSmtpServer(boolean silent, IntFunction<String> rcptReply, IntFunction<String> dataReply) {
        this.silent = silent;
        this.rcptReply = rcptReply;
        this.dataReply = dataReply;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "scripted-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Replies to RCPT and to the end of DATA with what the functions give for message 0, 1, 2… */
    public static ScriptedSmtpServer replying(IntFunction<String> rcptReply, IntFunction<String> dataReply) {
        return new ScriptedSmtpServer(false, rcptReply, dataReply);
    }

    public static ScriptedSmtpServer accepting() {
        return replying(message -> "250 2.1.5 OK", message -> "250 2.0.0 queued as Q" + message);
    }

    /** Accepts connections and never says a word. */
    public static ScriptedSmtpServer silent() {
        return new ScriptedSmtpServer(true, null, null);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Command lines received, in order, such as {@code MAIL FROM:<a@b.test>}. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    public List<String> commandsStartingWith(String verb) {
        return commands.stream()
                .filter(c -> c.toUpperCase(Locale.ROOT).startsWith(verb))
                .toList();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread session = new Thread(() -> serve(socket), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1)) {
            if (silent) {
                while (in.read() != -1) {
                    // hold the connection open without answering until the client gives up
                }
                return;
            }
            reply(out, "220 scripted.test ESMTP");
            int message = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-scripted.test\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 scripted.test");
                    case "MAIL" -> {
                        message = transactions.getAndIncrement();
                        reply(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> reply(out, rcptReply.apply(message));
                    case "DATA" -> {
                        reply(out, "354 end data with <CR><LF>.<CR><LF>");
                        for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                            // the message itself is not needed here
                        }
                        reply(out, dataReply.apply(message));
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "250 2.0.0 OK");
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }
}
