package com.esii.support.hub.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Dovecot IMAP server (Debian's {@code dovecot-imapd}, installed by {@code bench/run-email.sh}) under a
 * temporary directory: its own configuration (nothing of /etc/dovecot is read), a passwd-file with one user, maildir
 * storage, plain IMAP on a free loopback port. Run as root; the mail is stored as user {@code nobody}.
 */
final class Dovecot implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final int port;

    private Dovecot(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/dovecot"));
    }

    static Dovecot start(int port, String user, String password) throws Exception {
        Path dir = Files.createTempDirectory("bench-dovecot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("passwd"), user + ":{PLAIN}" + password + "::::::\n");
        Files.writeString(dir.resolve("dovecot.conf"), """
                protocols = imap
                listen = 127.0.0.1
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                default_internal_user = dovecot
                default_login_user = dovenull
                mail_location = maildir:%1$s/mail/%%n
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %1$s/passwd
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home=%1$s/mail/%%n
                }
                protocol imap {
                  mail_max_userip_connections = 200
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(dir, port));
        Process p = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new Dovecot(dir, p, port);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("Dovecot did not start: " + Files.readString(dir.resolve("stdout.log"))
                + (Files.exists(dir.resolve("dovecot.log")) ? Files.readString(dir.resolve("dovecot.log")) : ""));
    }

    int port() {
        return port;
    }

    /**
     * Delivers the mails into {@code user}'s INBOX as a mail transfer agent's maildir delivery does (each written to
     * {@code tmp/}, then renamed into {@code new/}): all of them within a fraction of a second, whatever the clients
     * reading the mailbox are doing.
     */
    void deliverToMaildir(String user, List<byte[]> mails) throws IOException {
        Path box = dir.resolve("mail").resolve(user.substring(0, user.indexOf('@')));
        Path tmp = Files.createDirectories(box.resolve("tmp"));
        Path fresh = Files.createDirectories(box.resolve("new"));
        Files.createDirectories(box.resolve("cur"));
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < mails.size(); i++) {
            String name = now + ".M" + i + "P" + ProcessHandle.current().pid() + "_" + System.nanoTime() + ".bench";
            Path file = Files.write(tmp.resolve(name), mails.get(i));
            Files.move(file, fresh.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static String version() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/dovecot", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v;
        } catch (Exception e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
