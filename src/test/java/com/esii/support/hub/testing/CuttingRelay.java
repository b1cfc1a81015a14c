package com.esii.support.hub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a real server that can cut every connection through it at once, as a provider does when
 * it ends a session (an expired token, a maintenance, a session limit): the client sees its connection closed in the
 * middle of whatever it was doing and must open a new one. Not a server of its own: bytes are passed as they are.
 */
public final class CuttingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    public CuttingRelay(int targetPort) {
        this.target = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::accept, "cutting-relay-" + targetPort);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted since the start. */
    public int connections() {
        return accepted.get();
    }

    /** Closes every connection open through the relay, on both sides. */
    public void cutAll() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
        open.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                accepted.incrementAndGet();
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /**
     * SMTP: the next {@code MAIL FROM} a client sends through the relay is answered {@code reply} (e.g. Exchange's
     * {@code 421 4.7.0 ... session expired}) in the server's place, and the connection is closed, as a provider ends
     * a kept session when its token has expired. The mail server never sees that command.
     */
    public void refuseNextMailFrom(String reply) {
        refuseMail = reply;
    }

    /**
     * IMAP: the next command {@code name} a client sends through the relay (e.g. {@code IDLE}) waits until
     * {@code action} has run, then goes on to the server: what the action does to the mailbox happens exactly between
     * the client's previous command and that one.
     */
    public void beforeNextCommand(String name, Runnable action) {
        beforeCommand = name;
        beforeAction = action;
    }

    /**
     * IMAP: the server's next {@code * n EXISTS} to the client is taken out of the stream (a server that never
     * announced a new mail). Matched within one read of the stream, as a loopback server writes it.
     */
    public void dropNextExists() {
        dropExists = true;
    }

    /** How many announcements {@link #dropNextExists} took out. */
    public int droppedAnnouncements() {
        return dropped.get();
    }

    private volatile boolean dropExists;
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile String beforeCommand;
    private volatile Runnable beforeAction;
    private volatile String refuseMail;
    private final AtomicInteger refused = new AtomicInteger();

    /** How many commands {@link #refuseNextMailFrom} answered. */
    public int refusals() {
        return refused.get();
    }

    private void pump(Socket from, Socket to, boolean clientSide) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    String command = beforeCommand;
                    String text = command == null ? null : new String(buf, 0, n,
                            java.nio.charset.StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
                    if (clientSide && command != null && (text.contains(" " + command + "\r\n")
                            || text.contains(" " + command + " "))) {
                        Runnable action = beforeAction;
                        beforeCommand = null;
                        beforeAction = null;
                        action.run();
                    }
                    String reply = refuseMail;
                    if (clientSide && reply != null && new String(buf, 0, Math.min(n, 10),
                            java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT)
                                    .startsWith("MAIL FROM")) {
                        refuseMail = null;
                        refused.incrementAndGet();
                        OutputStream back = from.getOutputStream();
                        back.write((reply + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        back.flush();
                        break;
                    }
                    if (!clientSide && dropExists) {
                        String chunk = new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
                        String without = chunk.replaceFirst("\\* \\d+ EXISTS\r\n", "");
                        if (!without.equals(chunk)) {
                            dropExists = false;
                            dropped.incrementAndGet();
                            byte[] kept = without.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                            out.write(kept);
                            out.flush();
                            continue;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut, or closed by one side
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
                open.remove(from);
                open.remove(to);
            }
        }, "cutting-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed already
        }
        cutAll();
    }
}
