package com.esii.support.hub.testing.sim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on plain sockets (keep-alive, Content-Length and chunked request bodies,
 * {@code Expect: 100-continue}). Plain sockets because the simulator's faults need what no server framework
 * exposes: answering after the client gave up, closing without an answer, and resetting (RST) a connection in the
 * middle of an answer.
 */
final class SimHttp implements AutoCloseable {

    /** One request as received. Header names are kept as sent; {@link #header} ignores their case. */
    record Request(String method, String target, String path, Map<String, String> query,
            Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer; {@code body} may be empty. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        static Response json(int status, String json) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json;charset=UTF-8");
            return new Response(status, h, json.getBytes(StandardCharsets.UTF_8));
        }

        static Response html(int status, String html) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "text/html;charset=UTF-8");
            h.put("Cache-Control", "no-store");
            return new Response(status, h, html.getBytes(StandardCharsets.UTF_8));
        }

        /** 303 to {@code location}: the answer to an HTML form's POST. */
        static Response seeOther(String location) {
            return empty(303).with("Location", location);
        }

        static Response empty(int status) {
            return new Response(status, new LinkedHashMap<>(), new byte[0]);
        }

        Response with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Response(status, h, body);
        }
    }

    /** How the answer is delivered. */
    enum Delivery {
        /** as HTTP says */
        NORMAL,
        /** the answer is held for {@link Reply#hold}, then written (the client has usually given up) */
        HOLD,
        /** the connection is closed without a byte of answer */
        DROP,
        /** the head and body are written, the head promising one byte more, then the connection is reset (RST) */
        RESET
    }

    record Reply(Response response, Delivery delivery, Duration hold) {
        static Reply of(Response r) {
            return new Reply(r, Delivery.NORMAL, Duration.ZERO);
        }
    }

    interface Handler {
        Reply handle(Request request);
    }

    private final ServerSocket server;
    private final ExecutorService workers;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    SimHttp(String bindAddress, int port, Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 200);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "simulator-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::accept, "simulator-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                open.add(s);
                workers.execute(() -> serve(s));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (running) {
                Request r = read(in, out);
                if (r == null) {
                    return;
                }
                Reply reply;
                try {
                    reply = handler.handle(r);
                } catch (RuntimeException e) {
                    reply = Reply.of(Response.json(500, "{\"errorMessages\":[\"simulator: " + Json.escape(String.valueOf(e))
                            + "\"],\"errors\":{}}"));
                }
                boolean close = "close".equalsIgnoreCase(r.header("Connection"));
                switch (reply.delivery()) {
                    case DROP -> {
                        return; // closed without an answer
                    }
                    case RESET -> {
                        write(out, reply.response(), true, 1);
                        s.setSoLinger(true, 0); // close() now sends RST
                        return;
                    }
                    case HOLD -> {
                        sleep(reply.hold());
                        write(out, reply.response(), true, 0);
                        return;
                    }
                    default -> write(out, reply.response(), close, 0);
                }
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, Response r, boolean close, int promisedExtra) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status()))
                .append("\r\n");
        r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (r.status() != 204 && r.status() != 304) {
            head.append("Content-Length: ").append(r.body().length + promisedExtra).append("\r\n");
        }
        head.append("Connection: ").append(close ? "close" : "keep-alive").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (r.status() != 204 && r.status() != 304) {
            out.write(r.body());
        }
        out.flush();
    }

    private static Request read(InputStream in, OutputStream out) throws IOException {
        String line = line(in);
        while (line != null && line.isEmpty()) {
            line = line(in);
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length < 2) {
            throw new IOException("bad request line: " + line);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(h.substring(0, colon).strip(), k -> new ArrayList<>()).add(h.substring(colon + 1).strip());
            }
        }
        Request probe = new Request(parts[0], parts[1], null, Map.of(), headers, new byte[0]);
        if ("100-continue".equalsIgnoreCase(probe.header("Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        String te = probe.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (;;) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("truncated chunk");
                }
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                        // trailers ignored
                    }
                    break;
                }
                b.write(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else {
            String cl = probe.header("Content-Length");
            int n = cl == null ? 0 : Integer.parseInt(cl.strip());
            body = in.readNBytes(n);
            if (body.length < n) {
                throw new IOException("truncated body");
            }
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new Request(parts[0].toUpperCase(Locale.ROOT), target, URLDecoder.decode(path, StandardCharsets.UTF_8),
                query, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > 65_536) {
                throw new IOException("line too long");
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 303 -> "See Other";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        workers.shutdownNow();
    }
}
