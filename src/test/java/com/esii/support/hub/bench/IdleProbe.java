package com.esii.support.hub.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

/**
 * The mail server's own push delay: the time from a mail's APPEND (done, by another connection) to the server's
 * {@code * n EXISTS} on a connection waiting in IMAP IDLE, for a client that never leaves IDLE and for one that, as
 * every client reading its mail on the same connection does, ends the IDLE at each notice and starts it again 50 ms
 * later (its pass). No push client can answer sooner; the hub's single-mail figures are read against it.
 */
final class IdleProbe {

    private IdleProbe() {
    }

    /** {@code n} mails, one every 250 ms as in the single-mail measure; milliseconds, sorted. */
    static List<Double> measure(int imap, String user, String password, String prefix, int n, boolean reenter)
            throws Exception {
        List<Double> ms = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", imap); Store store = EmailBench.imapStore(imap)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            in.readLine(); // greeting
            command(in, out, "a LOGIN \"" + user + "\" \"" + password + "\"", "a ");
            command(in, out, "b SELECT INBOX", "b ");
            command(in, out, "c IDLE", "+");
            Folder inbox = store.getFolder("INBOX");
            for (int i = 0; i < n; i++) {
                inbox.appendMessages(new Message[] {
                        EmailBench.message(EmailBench.mail(prefix + i + "@bench.example", "Probe " + i)) });
                long delivered = System.nanoTime();
                String line;
                while ((line = in.readLine()) != null && !line.endsWith("EXISTS")) {
                    // other untagged news (RECENT, FETCH) before the count
                }
                ms.add((System.nanoTime() - delivered) / 1e6);
                if (reenter) {
                    command(in, out, "DONE", "c ");
                    Thread.sleep(50);
                    command(in, out, "c IDLE", "+");
                }
                Thread.sleep(reenter ? 200 : 250);
            }
            out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Collections.sort(ms);
        return ms;
    }

    private static void command(BufferedReader in, OutputStream out, String command, String until) throws Exception {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String line;
        while ((line = in.readLine()) != null && !line.startsWith(until)) {
            // untagged lines
        }
    }
}
