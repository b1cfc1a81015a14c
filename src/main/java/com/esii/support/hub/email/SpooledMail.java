package com.esii.support.hub.email;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A mail over {@code hub.mail.max-size}, written to a temporary file as it is fetched, so that it is never held in
 * memory whole: it goes from the mailbox to the file and from the file to the raw store. What the intake needs of it
 * is worked out on the way: its size, the digests that key it ({@link MailKey}) and keep it once in the raw store,
 * and its header section (the too-large answer reads only that).
 */
public final class SpooledMail implements AutoCloseable {

    /** The header section kept in memory: the rest of a longer one is left out of the answer (never of the store). */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    private final Path file;
    private final long size;
    private final String sha256;
    private final String bodySha256;
    private final byte[] headers;

    private SpooledMail(Path file, long size, String sha256, String bodySha256, byte[] headers) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
        this.bodySha256 = bodySha256;
        this.headers = headers;
    }

    /** The spool directory when {@code hub.mail.spool-directory} is not set. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "hub-mail-spool");
    }

    /** A writer into a new temporary file of {@code dir}; {@link Writer#finish()} gives the spooled mail. */
    public static Writer create(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new Writer(Files.createTempFile(dir, "mail-", ".eml"));
    }

    public long size() {
        return size;
    }

    /** SHA-256 of the whole mail, in hex (as the raw store keys content). */
    public String sha256() {
        return sha256;
    }

    /** SHA-256 of the bytes after the header section, in hex (as {@link MailKey} uses it). */
    public String bodySha256() {
        return bodySha256;
    }

    /** The header section with the blank line that ends it (as MailIntake.headerSection), at most {@link #MAX_HEADER_BYTES}. */
    public byte[] headers() {
        return headers.clone();
    }

    public InputStream open() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the file. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file: the system cleans up
        }
    }

    /**
     * Writes the mail to its file while digesting it, and finds where its header section ends (the first empty
     * line, "\n\n" or "\n\r\n", as {@link MailKey#body} does; without one, the body is the whole mail).
     */
    public static final class Writer extends OutputStream {
        private final Path file;
        private final OutputStream out;
        private final MessageDigest whole = sha256Digest();
        private final MessageDigest afterHeaders = sha256Digest();
        private final java.io.ByteArrayOutputStream headers = new java.io.ByteArrayOutputStream();
        private long size;
        /** The last bytes seen while the header section lasts: '\n', then '\r' or '\n'. */
        private int state;
        private boolean inBody;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            whole.update(b, off, len);
            size += len;
            int i = off;
            int end = off + len;
            while (!inBody && i < end) {
                byte c = b[i++];
                if (headers.size() < MAX_HEADER_BYTES) {
                    headers.write(c);
                }
                if (c == '\n') {
                    if (state == 1 || state == 2) {
                        inBody = true;
                    } else {
                        state = 1;
                    }
                } else if (c == '\r' && state == 1) {
                    state = 2;
                } else {
                    state = 0;
                }
            }
            if (inBody && i < end) {
                afterHeaders.update(b, i, end - i);
            }
        }

        /** Closes the file and gives the mail; the caller owns it (and deletes it with {@link #close()}). */
        public SpooledMail finish() throws IOException {
            out.close();
            byte[] h = headers.toByteArray();
            String bodySha;
            if (inBody) {
                bodySha = HexFormat.of().formatHex(afterHeaders.digest());
            } else {
                // no header/body boundary: the body is the whole mail, and there is no header section
                h = new byte[0];
                bodySha = HexFormat.of().formatHex(((MessageDigest) cloneOf(whole)).digest());
            }
            return new SpooledMail(file, size, HexFormat.of().formatHex(whole.digest()), bodySha, h);
        }

        /** Closes and deletes the file (a fetch that failed). */
        public void discard() {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted below
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file: the system cleans up
            }
        }

        private static Object cloneOf(MessageDigest d) {
            try {
                return d.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
