package com.esii.support.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the phone system for the demo: sends a week of Avaya IP Office SMDR records to the hub's SMDR port, the way
 * IP Office does (one CRLF-terminated line per call segment), then closes the connection and ends. The week is the
 * one the tests replay ({@code smdr/ipoffice-week.smdr}: transfers, voicemail, conferences, abandoned calls, NUL
 * bytes, resent and malformed records), moved to the week asked for (by default last week, Monday to Friday, Paris
 * time), so that its figures are those of a period the README names. Its two calls about a ticket carry the number
 * given with {@code --ticket} as their account code (else none).
 *
 * <pre>
 * java -cp target/classes com.esii.support.hub.demo.SendSmdrWeek [--week 2026-03-02] [--ticket SUP-2026-000001]
 *     [--host localhost] [--port 1150] [--file other.smdr]
 * </pre>
 *
 * Only the JDK: it runs from the classes of a -Pdemo build without the hub's libraries.
 */
public final class SendSmdrWeek {

    /** The Monday of the recorded week in {@code smdr/ipoffice-week.smdr}. */
    static final LocalDate RECORDED_MONDAY = LocalDate.of(2026, 3, 2);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Pattern DATE = Pattern.compile("(\\d{4})/(\\d{2})/(\\d{2})");
    private static final DateTimeFormatter SMDR_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private SendSmdrWeek() {
    }

    /** Last week's Monday in Paris: the week the demo's README speaks of. */
    static LocalDate lastWeeksMonday(LocalDate today) {
        return today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
    }

    /**
     * The lines of the recorded week moved to the week of {@code monday} (every date moves by the same whole number of
     * weeks, so weekdays and times stay; a date that is no date, as in a malformed record, stays as it is), with the
     * ticket placeholders filled ({@code ""}: no account code) and {@code \0} turned into NUL bytes.
     */
    static List<String> week(String text, LocalDate monday, String ticket) {
        if (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new IllegalArgumentException(monday + " is a " + monday.getDayOfWeek() + ", not a Monday");
        }
        long days = ChronoUnit.DAYS.between(RECORDED_MONDAY, monday);
        String t = ticket == null ? "" : ticket.strip();
        String filled = text.replace("${TICKET}", t).replace("${TICKET_DIGITS}", t.replaceAll("\\D", ""));
        List<String> out = new ArrayList<>();
        for (String line : filled.split("\n")) {
            line = line.replace("\r", "");
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = DATE.matcher(line);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String moved;
                try {
                    moved = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3))).plusDays(days).format(SMDR_DATE);
                } catch (DateTimeException e) {
                    moved = m.group(); // 2026/02/30: a malformed record stays malformed
                }
                m.appendReplacement(b, moved);
            }
            m.appendTail(b);
            out.add(b.toString().replace("\\0", "\0"));
        }
        return out;
    }

    /** Sends the lines over one connection, closes its sending side and waits (a little) for the hub to close. */
    static void send(String host, int port, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.shutdownOutput();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // the hub sends nothing; its end of file means it has read every line
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // the lines are sent; the hub keeps the connection open or reset it: either way, done here
            }
        }
    }

    static String recordedWeek() throws IOException {
        try (InputStream in = SendSmdrWeek.class.getResourceAsStream("/smdr/ipoffice-week.smdr")) {
            if (in == null) {
                throw new IOException("smdr/ipoffice-week.smdr is not on the class path: build with -Pdemo first"
                        + " (mvn -B -Pdemo -DskipTests package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: SendSmdrWeek [--week <a Monday, YYYY-MM-DD>] [--ticket SUP-…] [--host localhost]"
                        + " [--port 1150] [--file records.smdr]");
                System.exit(2);
            }
            a.put(args[i].substring(2), args[++i]);
        }
        String env = System.getenv("HUB_PHONE_PORT");
        int port = Integer.parseInt(a.getOrDefault("port", env == null || env.isBlank() ? "1150" : env.strip()));
        String host = a.getOrDefault("host", "localhost");
        LocalDate monday = a.containsKey("week") ? LocalDate.parse(a.get("week")) : lastWeeksMonday(LocalDate.now(PARIS));
        String text = a.containsKey("file") ? Files.readString(Path.of(a.get("file"))) : recordedWeek();
        List<String> lines = week(text, monday, a.get("ticket"));
        send(host, port, lines);
        LocalDate friday = monday.plusDays(4);
        String httpPort = System.getenv("QUARKUS_HTTP_PORT");
        httpPort = httpPort == null || httpPort.isBlank() ? "8080" : httpPort.strip();
        System.out.printf("Sent %d SMDR lines to %s:%d: the calls of Monday %s to Friday %s (Paris time)%s.%n",
                lines.size(), host, port, monday, friday,
                a.containsKey("ticket") ? ", two of them about " + a.get("ticket") : "");
        System.out.printf("Their figures (the admin password is in the demo's banner):%n"
                + "  curl -s -u 'admin:<password>' 'http://localhost:%s/api/stats?from=%s&to=%s&period=day'%n"
                + "Lines that are no record (the stream has some, as IP Office sends them): /admin/phone/rejected%n",
                httpPort, monday, friday);
    }
}
