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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP server on a free loopback port that speaks just enough SMTP (greeting, EHLO, MAIL,
 * RCPT, DATA, RSET, NOOP, QUIT) to inject the faults GreenMail cannot: scripted replies per
 * message, a greeting, AUTH answers, STARTTLS with a given certificate, or silence. Unless told to,
 * it offers neither STARTTLS nor AUTH. It records every command line and counts connections.
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
    private volatile String greeting = "220 scripted.test ESMTP";
    private volatile String authReply;
    private volatile SSLContext tls;

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

    /** Greets with this line; anything but a 220 is followed by hanging up (RFC 5321 §3.1). */
    public ScriptedSmtpServer greeting(String line) {
        this.greeting = line;
        return this;
    }

    /** Offers AUTH and answers every attempt with this reply, such as {@code 535 5.7.8 …}. */
    public ScriptedSmtpServer answeringAuth(String reply) {
        this.authReply = reply;
        return this;
    }

    /** Offers STARTTLS, with this context's certificate. */
    public ScriptedSmtpServer offeringStartTls(SSLContext context) {
        this.tls = context;
        return this;
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
        Socket current = socket;
        try (socket) {
            BufferedReader in = reader(socket);
            Writer out = writer(socket);
            if (silent) {
                while (in.read() != -1) {
                    // hold the connection open without answering until the client gives up
                }
                return;
            }
            reply(out, greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            int message = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" ->
                        reply(
                                out,
                                "250-scripted.test\r\n"
                                        + (tls != null && !(current instanceof SSLSocket) ? "250-STARTTLS\r\n" : "")
                                        + (authReply != null ? "250-AUTH PLAIN LOGIN\r\n" : "")
                                        + "250 8BITMIME");
                    case "HELO" -> reply(out, "250 scripted.test");
                    case "STAR" -> {
                        reply(out, "220 2.0.0 ready to start TLS");
                        SSLSocket secured = (SSLSocket) tls.getSocketFactory()
                                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        secured.setUseClientMode(false);
                        secured.startHandshake();
                        current = secured;
                        sockets.add(secured);
                        in = reader(secured);
                        out = writer(secured);
                    }
                    case "AUTH" -> {
                        // AUTH LOGIN and AUTH PLAIN without an initial response ask for it first.
                        for (int asked = line.trim().split(" ").length == 2 ? (line.contains("LOGIN") ? 2 : 1) : 0;
                                asked > 0;
                                asked--) {
                            reply(out, "334 ");
                            commands.add(in.readLine());
                        }
                        reply(out, authReply);
                    }
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
            // the client went away (or gave up on the TLS handshake); nothing to do
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static Writer writer(Socket socket) throws IOException {
        return new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }
}
