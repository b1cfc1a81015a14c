package com.esii.support.hub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fast SMTP server for the answers (what a production relay is to the hub): it answers each command at once
 * (TCP_NODELAY, one write per reply, unlike GreenMail's delayed-ACK pause) and notes, for each recipient, when a
 * mail to it was accepted ({@link System#nanoTime()} at the end of DATA). Keeps nothing else.
 */
final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "smtp-sink");
        t.setDaemon(true);
        return t;
    });
    /** Recipient (lower case) → the times mails to it were accepted. */
    private final Map<String, List<Long>> received = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    SmtpSink(int port) throws IOException {
        server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        connections.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** When the first mail to {@code address} was accepted (nanoTime), or null. */
    Long firstTo(String address) {
        List<Long> t = received.get(address.toLowerCase(Locale.ROOT));
        return t == null || t.isEmpty() ? null : t.get(0);
    }

    int countTo(String address) {
        List<Long> t = received.get(address.toLowerCase(Locale.ROOT));
        return t == null ? 0 : t.size();
    }

    /** Recipients starting with {@code prefix}: how many got at least one mail, and the last first-mail time. */
    long[] reached(String prefix) {
        long n = 0;
        long last = 0;
        for (Map.Entry<String, List<Long>> e : received.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getValue().isEmpty()) {
                n++;
                last = Math.max(last, e.getValue().get(0));
            }
        }
        return new long[] { n, last };
    }

    /** Mails accepted so far for recipients starting with {@code prefix}. */
    long mailsTo(String prefix) {
        return received.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    /** Recipients starting with {@code prefix} that got more than one mail. */
    long doubled(String prefix) {
        return received.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getValue().size() > 1)
                .count();
    }

    private void accept() {
        while (open) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.ISO_8859_1), 64 * 1024); OutputStream out = s.getOutputStream()) {
            reply(out, "220 sink ESMTP");
            List<String> rcpt = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (cmd) {
                    case "EHLO", "HELO" -> reply(out, "250 sink");
                    case "MAIL" -> {
                        rcpt.clear();
                        reply(out, "250 ok");
                    }
                    case "RCPT" -> {
                        String a = line.substring(line.indexOf(':') + 1).trim();
                        a = a.replace("<", "").replace(">", "").trim().toLowerCase(Locale.ROOT);
                        int sp = a.indexOf(' ');
                        rcpt.add(sp > 0 ? a.substring(0, sp) : a);
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) {
                            // discarded
                        }
                        long at = System.nanoTime();
                        for (String r : rcpt) {
                            received.computeIfAbsent(r, k -> new CopyOnWriteArrayList<>()).add(at);
                        }
                        rcpt.clear();
                        reply(out, "250 accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok"); // RSET, NOOP
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        connections.shutdownNow();
    }
}
