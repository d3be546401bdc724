package io.otpgate.mail;

import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.DisplayName;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.util.MailStreamProvider;

/** Turns an {@link OutgoingEmail} into the MIME message that goes over the wire. */
final class CodeMessage {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    private static final Pattern MESSAGE_ID = Pattern.compile("<[!-;=?-~&&[^@]]+@[!-;=?-~&&[^@]]+>");
    private static final Pattern ASCII = Pattern.compile("\\p{ASCII}*");

    /**
     * Jakarta Mail 2.1 looks its {@code StreamProvider} up again for every multipart and body part it
     * creates, through {@code ServiceLoader}, which reads the jars' service files each time
     * (jakartaee/mail-api#699, fixed for 2.2): it cost a fifth of delivery's throughput in
     * bench/run. A provider named in this system property is found by the lookup's first step, a
     * {@code Class.forName}. It is set only when nobody has chosen one.
     */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, MailStreamProvider.class.getName());
        }
    }

    private CodeMessage() {}

    /** The envelope recipient and To header: the one canonical address, with the display name. */
    static InternetAddress recipient(OutgoingEmail email) throws AddressException {
        // EmailAddress guarantees an ASCII local part and an IDNA (ASCII) domain: no SMTPUTF8 needed.
        String address = email.to().value();
        try {
            return new InternetAddress(
                    address, email.toName().map(DisplayName::value).orElse(null), UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    static MimeMessage build(Session session, MailFrom from, OutgoingEmail email, InternetAddress to, Instant now)
            throws MessagingException {
        if (!MESSAGE_ID.matcher(email.messageId()).matches()) {
            throw new MessagingException("the Message-ID is not of the form <left@right>");
        }
        if (email.subject().chars().anyMatch(Character::isISOControl)) {
            throw new MessagingException("the subject contains a control character");
        }
        FixedIdMessage message = new FixedIdMessage(session, email.messageId());
        message.setFrom(from.toInternetAddress());
        setTo(message, to);
        message.setSubject(email.subject(), UTF_8);
        message.setSentDate(Date.from(now));
        // RFC 3834 §5: vacation responders and ticket systems must not answer an automatic message.
        message.setHeader("Auto-Submitted", "auto-generated");
        // RFC 2046 §5.1.4: alternatives go from plainest to richest; clients show the last they can.
        MimeMultipart body = new MimeMultipart("alternative");
        body.addBodyPart(textPart(email.text(), "plain"));
        body.addBodyPart(textPart(email.html(), "html"));
        message.setContent(body);
        message.saveChanges();
        message.render();
        return message;
    }

    /**
     * An ASCII name is sent as it is, so one that looks like an RFC 2047 encoded word ({@code
     * =?utf-8?q?...?=}) would be decoded by the reader's client into text the person never typed.
     * Quoting it keeps it literal: encoded words are not decoded inside quotes (RFC 2047 §5).
     */
    private static void setTo(MimeMessage message, InternetAddress to) throws MessagingException {
        String name = to.getPersonal();
        if (name != null && name.contains("=?") && ASCII.matcher(name).matches()) {
            String quoted = name.replace("\\", "\\\\").replace("\"", "\\\"");
            message.setHeader("To", "\"" + quoted + "\" <" + to.getAddress() + ">");
        } else {
            message.setRecipient(Message.RecipientType.TO, to);
        }
    }

    private static MimeBodyPart textPart(String text, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, UTF_8, subtype);
        // Set here, saveChanges does not choose it: Jakarta Mail would write the whole text through an
        // AsciiOutputStream a byte at a time to count (12% of the CPU in delivering a backlog).
        part.setHeader("Content-Transfer-Encoding", transferEncoding(text.getBytes(StandardCharsets.UTF_8)));
        return part;
    }

    /**
     * The transfer encoding Jakarta Mail's {@code MimeUtility.getEncoding} chooses for a text part
     * with these bytes, by the same rule: all ASCII with lines of at most 998 bytes is 7bit, more
     * ASCII than not is quoted-printable, and the rest is base64. DEL and control characters other
     * than CR, LF and tab count as non-ASCII.
     */
    static String transferEncoding(byte[] bytes) {
        int ascii = 0;
        int nonAscii = 0;
        int lineLength = 0;
        boolean longLine = false;
        for (byte value : bytes) {
            int b = value & 0xff;
            if (b == '\r' || b == '\n') {
                lineLength = 0;
            } else if (++lineLength > 998) {
                longLine = true;
            }
            if (b >= 0177 || (b < 040 && b != '\r' && b != '\n' && b != '\t')) {
                nonAscii++;
            } else {
                ascii++;
            }
        }
        if (nonAscii == 0) {
            return longLine ? "quoted-printable" : "7bit";
        }
        return ascii > nonAscii ? "quoted-printable" : "base64";
    }

    /**
     * Jakarta Mail replaces the Message-ID with a random one on every save; the outbox row's stable
     * id is what lets a recipient's server and a human recognise a re-sent duplicate.
     *
     * <p>The message is also rendered once into bytes after it is saved, and {@link #writeTo} hands
     * those bytes over in one write. Written directly, Jakarta Mail's encoders push the message a
     * byte at a time through every layer of the SMTP data stream (dot-stuffing, line-ending
     * normalisation, the socket buffer): 7.7% of the CPU in delivering a backlog, in
     * {@code FilterOutputStream.write} alone. The SMTP data stream still dot-stuffs and normalises
     * the bytes, so what goes over the wire is the same.
     */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;
        private byte[] rendered;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }

        /** Call once the message is complete and saved; any later change drops the rendering. */
        void render() throws MessagingException {
            Bytes bytes = new Bytes();
            try {
                super.writeTo(bytes, null);
            } catch (IOException e) {
                throw new MessagingException("the message could not be rendered", e);
            }
            rendered = bytes.toByteArray();
        }

        @Override
        public void saveChanges() throws MessagingException {
            rendered = null;
            super.saveChanges();
        }

        @Override
        public void setHeader(String name, String value) throws MessagingException {
            rendered = null;
            super.setHeader(name, value);
        }

        @Override
        public void setDataHandler(jakarta.activation.DataHandler dh) throws MessagingException {
            rendered = null;
            super.setDataHandler(dh);
        }

        @Override
        public void addHeader(String name, String value) throws MessagingException {
            rendered = null;
            super.addHeader(name, value);
        }

        @Override
        public void removeHeader(String name) throws MessagingException {
            rendered = null;
            super.removeHeader(name);
        }

        /**
         * The rendering holds every header, so it stands in only when none of the headers to leave
         * out (SMTP leaves out Bcc and Content-Length) is present.
         */
        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
            byte[] bytes = rendered;
            if (bytes == null || hasAny(ignoreList)) {
                super.writeTo(os, ignoreList);
                return;
            }
            os.write(bytes, 0, bytes.length);
            os.flush();
        }

        private boolean hasAny(String[] names) throws MessagingException {
            if (names != null) {
                for (String name : names) {
                    if (getHeader(name) != null) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * A growable byte buffer without ByteArrayOutputStream's locking: the encoders write into it a
     * byte at a time, and each synchronized write cost an atomic operation (12.5% of the CPU in
     * delivering a backlog, in {@code ByteArrayOutputStream.write}).
     */
    private static final class Bytes extends OutputStream {
        private byte[] buffer = new byte[8192];
        private int count;

        @Override
        public void write(int b) {
            if (count == buffer.length) {
                buffer = Arrays.copyOf(buffer, count * 2);
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > buffer.length - count) {
                buffer = Arrays.copyOf(buffer, Math.max(count * 2, count + len));
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, count);
        }
    }
}
