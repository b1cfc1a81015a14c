package com.esii.support.hub.phone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The SMDR port's edges, on the real listener (a free port on 127.0.0.1) with the lines recorded instead of stored:
 * an idle connection is closed, a connection past the cap is refused, an address not allowed is refused. No test
 * asserts how fast: a closed connection is seen as the end of its stream (the client's own read timeout only keeps a
 * broken listener from hanging the build).
 */
class SmdrListenerEdgesTest {

    /** What the listener handed on. */
    static final class Recorded implements SmdrListener.Lines {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> rejected = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String line, String peer) {
            lines.add(line);
        }

        @Override
        public void reject(String line, String reason, String peer) {
            rejected.add(reason);
        }

        @Override
        public boolean databaseUp() {
            return true;
        }
    }

    static PhoneConfig config(int maxConnections, Duration idle, String... allowed) {
        return new PhoneConfig() {
            public boolean enabled() {
                return true;
            }

            public int port() {
                return 0;
            }

            public String bindAddress() {
                return "127.0.0.1";
            }

            public String zone() {
                return "Europe/Paris";
            }

            public int maxConnections() {
                return maxConnections;
            }

            public Duration idleTimeout() {
                return idle;
            }

            public List<String> allowedAddresses() {
                return List.of(allowed);
            }

            public int maxLineLength() {
                return 4096;
            }

            public Duration incompleteAfter() {
                return Duration.ofHours(2);
            }
        };
    }

    final Recorded recorded = new Recorded();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final List<Socket> clients = new ArrayList<>();
    SmdrListener listener;

    SmdrListener listen(PhoneConfig config) throws IOException {
        listener = new SmdrListener(config, recorded, metrics);
        listener.start(null);
        return listener;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (listener != null) {
            listener.stop(null);
        }
    }

    Socket connect(String from) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5000);
        s.setSoTimeout(60_000); // only so that a broken listener cannot hang the build
        return s;
    }

    static void send(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** True when the listener closed the connection: the stream ends (or is reset), with nothing sent to us. */
    static boolean closedByTheHub(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    double refused(String reason) {
        return metrics.counter("hub.phone.refused.connections", "reason", reason).count();
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        listen(config(4, Duration.ofMillis(300), "127.0.0.1"));
        Socket idle = connect("127.0.0.1");
        assertTrue(closedByTheHub(idle));
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connections() == 0);

        // One that sends a record, then half a line, then nothing: the record is taken, the half line recorded.
        Socket talks = connect("127.0.0.1");
        send(talks, "2026/03/02 08:00:00,00:00:05,1,0612345678,I,201,201,,0,1000001,0,E201,Agent,T9001,Line 1,0,0,,,,,,,,,,,,,,");
        talks.getOutputStream().write("2026/03/02 08:01".getBytes(StandardCharsets.US_ASCII));
        assertTrue(closedByTheHub(talks));
        assertEquals(1, recorded.lines.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.rejected.size() == 1);
        assertTrue(recorded.rejected.get(0).contains("middle of a line"), recorded.rejected.toString());
    }

    @Test
    void aConnectionPastTheCapIsRefusedAndTheOthersGoOn() throws Exception {
        listen(config(2, Duration.ofMinutes(10), "127.0.0.1"));
        Socket first = connect("127.0.0.1");
        Socket second = connect("127.0.0.1");
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connections() == 2);

        Socket third = connect("127.0.0.1");
        assertTrue(closedByTheHub(third), "a third connection is refused");
        assertEquals(1.0, refused("too-many"));

        send(first, "first");
        send(second, "second");
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.lines.size() == 2);
        assertEquals(2, listener.connections(), "the two first connections are still served");

        // Once one closes, a new one is taken.
        first.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connections() == 1);
        Socket again = connect("127.0.0.1");
        send(again, "again");
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.lines.contains("again"));
    }

    @Test
    void anAddressNotAllowedIsRefused() throws Exception {
        listen(config(4, Duration.ofMinutes(10), "10.0.0.0/8", "127.0.0.2"));
        Socket stranger = connect("127.0.0.1");
        send(stranger, "2026/03/02 08:00:00,00:00:05,1,0612345678,I,201,201,,0,1000001,0,E201,Agent,T9001,Line 1,0,0");
        assertTrue(closedByTheHub(stranger));
        assertEquals(1.0, refused("not-allowed"));

        // The allowed address (exact) is served.
        Socket pbx = connect("127.0.0.2");
        send(pbx, "from the phone system");
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.lines.contains("from the phone system"));
        assertEquals(List.of("from the phone system"), recorded.lines, "nothing of the stranger was taken");
        assertEquals(1.0, refused("not-allowed"));
        assertFalse(recorded.lines.isEmpty());
    }

    @Test
    void theAllowListTakesAddressesAndRanges() {
        AddressAllowList list = AddressAllowList.parse(List.of(" 10.20.0.0/16", "192.0.2.10", "fd00::/8", "::1", ""));
        assertTrue(list.allows(address("10.20.255.1")));
        assertFalse(list.allows(address("10.21.0.1")));
        assertTrue(list.allows(address("192.0.2.10")));
        assertFalse(list.allows(address("192.0.2.11")));
        assertTrue(list.allows(address("fd12:3456::1")));
        assertFalse(list.allows(address("fe80::1")));
        assertTrue(list.allows(address("::1")));
        assertFalse(list.allows(address("127.0.0.1")));
        assertFalse(list.allows(null));
        AddressAllowList odd = AddressAllowList.parse(List.of("172.16.0.0/12", "10.1.2.128/25"));
        assertTrue(odd.allows(address("172.31.255.255")));
        assertFalse(odd.allows(address("172.32.0.0")));
        assertTrue(odd.allows(address("10.1.2.200")));
        assertFalse(odd.allows(address("10.1.2.127")));
        assertTrue(AddressAllowList.parse(List.of("0.0.0.0/0")).allows(address("203.0.113.9")));
        assertFalse(AddressAllowList.parse(List.of("0.0.0.0/0")).allows(address("2001:db8::1")));
        assertTrue(AddressAllowList.parse(List.of("127.0.0.0/8", "::1")).allows(address("127.0.0.1")), "the default");
        assertFalse(AddressAllowList.parse(List.of()).allows(address("127.0.0.1")), "an empty list allows nobody");
        for (String bad : List.of("pbx.example.com", "10.0.0.0/33", "10.0.0.300", "10.0.0.0/x", "fd00::/129", "1.2.3",
                "localhost")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressAllowList.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
