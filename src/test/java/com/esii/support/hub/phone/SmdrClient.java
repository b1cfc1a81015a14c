package com.esii.support.hub.phone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plays IP Office's part: connects to the hub's SMDR port and writes records, CRLF-terminated, in chunks of random
 * sizes that cut lines anywhere. Can drop the connection in the middle of a line (a reset, as when the phone system
 * restarts).
 */
final class SmdrClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final Random random;

    SmdrClient(int port, long seed) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        random = new Random(seed);
    }

    /**
     * The records of a stream file: one a line; {@code \0} stands for a NUL byte, and {@code ${NAME}} placeholders
     * are replaced (e.g. a ticket number known only when the test runs).
     */
    static List<String> records(String resource, String... placeholders) {
        try (InputStream in = SmdrClient.class.getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (int i = 0; i + 1 < placeholders.length; i += 2) {
                text = text.replace("${" + placeholders[i] + "}", placeholders[i + 1]);
            }
            List<String> lines = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (!l.isEmpty()) {
                    lines.add(l.replace("\\0", "\0"));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the lines in chunks of 1 to {@code maxChunk} bytes, flushing (and pausing a little) between chunks. */
    SmdrClient send(List<String> lines, int maxChunk) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        writeChunked(b.toString().getBytes(StandardCharsets.UTF_8), maxChunk);
        return this;
    }

    SmdrClient sendBytes(byte[] bytes) {
        writeChunked(bytes, bytes.length);
        return this;
    }

    private void writeChunked(byte[] bytes, int maxChunk) {
        try {
            for (int i = 0; i < bytes.length;) {
                int n = Math.min(bytes.length - i, 1 + random.nextInt(maxChunk));
                out.write(bytes, i, n);
                out.flush();
                i += n;
                if (random.nextInt(8) == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the first {@code bytes} bytes of a line, then closes the connection, or resets it (a reset may make the
     * receiver lose what it had not read yet).
     */
    void dropInTheMiddleOf(String line, int bytes, boolean reset) {
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8), 0, bytes);
            out.flush();
            Thread.sleep(100);
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }
}
