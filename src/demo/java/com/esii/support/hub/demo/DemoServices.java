package com.esii.support.hub.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.esii.support.hub.jira.JiraConfig;
import com.esii.support.hub.oncall.OnCallConfig;
import com.esii.support.hub.oncall.OnCallRota;
import com.esii.support.hub.oncall.RotaStore;
import com.esii.support.hub.onsite.FieldTeam;
import com.esii.support.hub.phone.PhoneConfig;
import com.esii.support.hub.security.SecurityConfig;
import com.esii.support.hub.testing.sim.RequestCheck;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.ticket.TicketConfig;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The demo run's embedded systems: GreenMail (SMTP and IMAP; every address receives mail and logs in with its
 * address as password) and the stateful Jira/JSM/ERP {@link Simulator} with its staff console, which sends the hub
 * the signed webhooks of staff's actions. Seeds an on-call rota on a first run, and prints where everything is.
 * Only in a -Pdemo build.
 *
 * <p>The servers start as Camel starts, before the hub's timers first poll the mailbox or search Jira; they stop
 * after the hub has handed its leases and outbox claims back (a {@link ShutdownEvent} observer of a later priority
 * than {@code cluster/Leases} and the outbox relay's), so that nothing the hub does while it stops meets a closed
 * server. The H2 database is opened with {@code DB_CLOSE_ON_EXIT=FALSE}: without it H2's own JVM shutdown hook
 * closes the database while the hub is still handing its leases back.
 */
@ApplicationScoped
@IfBuildProperty(name = "hub.demo.enabled", stringValue = "true")
public class DemoServices {

    private static final Logger LOG = Logger.getLogger(DemoServices.class);

    /** The rota seeded on a first run (an empty rota): two technicians, week by week, from this Monday on. */
    static final LocalDate ROTATION_START = LocalDate.of(2024, 1, 1);
    static final List<RotaStore.Technician> TECHNICIANS = List.of(
            new RotaStore.Technician("alice", "Alice Martin", "alice.martin@esii.example", "+33 6 00 00 02 01"),
            new RotaStore.Technician("bruno", "Bruno Petit", "bruno.petit@esii.example", "+33 6 00 00 02 02"));
    static final String ROTATION = "demo";

    private final TicketConfig core;
    private final JiraConfig jira;
    private final SecurityConfig security;
    private final DemoConfig demo;
    private final OnCallConfig oncall;
    private final PhoneConfig phone;
    private final RotaStore rota;
    private final FieldTeam fieldTeam;
    private final DataSource ds;
    private final String jdbcUrl;
    private GreenMail mail;
    private Simulator simulator;

    public DemoServices(TicketConfig core, JiraConfig jira, SecurityConfig security, DemoConfig demo,
            OnCallConfig oncall, PhoneConfig phone, RotaStore rota, FieldTeam fieldTeam, DataSource ds,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.fieldTeam = fieldTeam;
        this.core = core;
        this.jira = jira;
        this.security = security;
        this.demo = demo;
        this.oncall = oncall;
        this.phone = phone;
        this.rota = rota;
        this.ds = ds;
        this.jdbcUrl = jdbcUrl;
    }

    /** As Camel starts its routes: the mailbox poller and the Jira search find their servers up. */
    void onCamelStarting(@Observes CamelEvent.CamelContextStartingEvent event) {
        startServers();
    }

    synchronized void startServers() {
        if (mail != null) {
            return;
        }
        String support = core.mailFrom();
        mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(demo.smtpPort(), "localhost", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(demo.imapPort(), "localhost", ServerSetup.PROTOCOL_IMAP) })
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(support, support, support));
        mail.start();
        // No contract check in the demo (the tests and the fault suite check every request against Atlassian's).
        simulator = Simulator.start("127.0.0.1", demo.simulatorPort(), RequestCheck.NONE)
                .webhooksTo(() -> "http://localhost:" + httpPort() + "/webhooks/jira",
                        jira.webhookSecret().orElse(null))
                .consoleEscalationLabel(jira.escalationLabel());
        continueKeys();
    }

    private static final Pattern KEY = Pattern.compile("([A-Z][A-Z0-9]*)-(\\d+)");

    /**
     * The simulated Jira lives in memory and starts empty, while ./data keeps the tickets and the Jira keys of earlier
     * runs: its keys go on after the highest the ledger holds, so that no key names two tickets.
     */
    void continueKeys() {
        Map<String, Long> last = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT jsm_key, rd_key FROM ticket WHERE jsm_key IS NOT NULL OR rd_key IS NOT NULL")) {
            while (rs.next()) {
                for (String key : new String[] { rs.getString(1), rs.getString(2) }) {
                    Matcher m = key == null ? null : KEY.matcher(key);
                    if (m != null && m.matches()) {
                        last.merge(m.group(1), Long.parseLong(m.group(2)), Math::max);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the Jira keys of the ledger", e);
        }
        last.forEach(simulator::keysAfter);
        if (!last.isEmpty()) {
            LOG.infof("The simulated Jira starts empty; its keys go on after those of earlier runs kept in the ledger: %s",
                    last);
        }
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        startServers();
        boolean seeded = seedRota();
        seedFieldTeam();
        int http = httpPort();
        String password = security.admin().password().orElse("");
        boolean generated = password.equals(DemoSecrets.generated(DemoSecrets.ADMIN_PASSWORD));
        String web = "http://localhost:" + http;
        String sim = "http://localhost:" + demo.simulatorPort();
        LOG.infof("%n"
                + "  Support hub demo is running (stop it with Ctrl-C; what it stored stays in ./data)%n"
                + "  Web form          %s/%n"
                + "  Ticket API        %s/api/tickets   (OpenAPI: %s/q/openapi)%n"
                + "  Health, metrics   %s/q/health   %s/q/metrics%n"
                + "  Admin pages       user %s, password %s%n"
                + "                    %s/admin   (the home: every admin page, in a browser)%n"
                + "                    %s/api/stats   %s/api/oncall/now   %s/admin/oncall%n"
                + "                    %s/admin/outbox   %s/admin/mail/verdicts   %s/admin/phone/calls%n"
                + "                    %s/admin/field-team   (technicians and partners for on-site interventions)%n"
                + "  Mail (GreenMail)  SMTP localhost:%d, IMAP localhost:%d; support mailbox %s;%n"
                + "                    any address receives mail, IMAP login and password = the address%n"
                + "  Jira, JSM, ERP    simulated on %s/ (state: %s/__sim/state)%n"
                + "  Staff console     %s/__sim/console   (staff's replies, statuses, escalations, fixes)%n"
                + "  Phone (SMDR)      localhost:%d; a week of calls: java -cp target/classes com.esii.support.hub.demo.SendSmdrWeek%n"
                + "  On call           %s; escalation %s%n"
                + "  Database          %s",
                web, web, web, web, web, security.admin().username(),
                generated ? password + "   (made up for this run; HUB_ADMIN_PASSWORD chooses it)"
                        : password.isEmpty() ? "(none: the admin pages refuse everyone)" : "(the one in HUB_ADMIN_PASSWORD)",
                web, web, web, web, web, web, web, web,
                demo.smtpPort(), demo.imapPort(), core.mailFrom(), sim, sim, sim, phone.port(),
                rotaSummary(seeded), String.join(" > ", oncall.escalation()),
                jdbcUrl.contains(";") ? jdbcUrl.substring(0, jdbcUrl.indexOf(';')) : jdbcUrl);
    }

    /**
     * The brochure's field force: seven technicians in four towns (Lavérune 34, Créteil 94, Vitré 35, Toulouse 31),
     * and two of the partner companies, each covering its departments.
     */
    static final List<FieldTeam.Member> FIELD_TEAM = List.of(
            technician("lucie", "Lucie Bernard", "34880"), technician("hugo", "Hugo Fabre", "34880"),
            technician("nadia", "Nadia Lefèvre", "94000"), technician("marc", "Marc Dupuis", "94000"),
            technician("sophie", "Sophie Garnier", "94000"), technician("yann", "Yann Le Goff", "35500"),
            technician("ines", "Inès Roussel", "31000"),
            new FieldTeam.Member("nord-maintenance", "Nord Maintenance", "partner", "interventions@nord-maintenance.example",
                    "+33 3 20 00 00 01", "59000", java.util.Set.of("59", "62", "80", "02"), null),
            new FieldTeam.Member("alpes-services", "Alpes Services", "partner", "planning@alpes-services.example",
                    "+33 4 76 00 00 02", "38000", java.util.Set.of("38", "73", "74", "05"), null));

    private static FieldTeam.Member technician(String code, String name, String postcode) {
        return new FieldTeam.Member(code, name, "technician", code + "@esii.example", null, postcode, java.util.Set.of(),
                null);
    }

    /** The field team, on a first run only (an empty team): one changed through the admin API is kept. */
    boolean seedFieldTeam() {
        if (!fieldTeam.members().isEmpty()) {
            return false;
        }
        OffsetDateTime now = OffsetDateTime.now();
        FIELD_TEAM.forEach(m -> fieldTeam.put(m, now));
        LOG.infof("Field team seeded: %d technicians and %d partners", FIELD_TEAM.stream()
                .filter(m -> m.kind().equals("technician")).count(), FIELD_TEAM.stream()
                .filter(m -> m.kind().equals("partner")).count());
        return true;
    }

    /** Two technicians week by week, on a first run only: a rota changed through the admin API is kept. */
    boolean seedRota() {
        if (!rota.technicians().isEmpty() || !rota.rotations().isEmpty()) {
            return false;
        }
        OffsetDateTime now = OffsetDateTime.now();
        TECHNICIANS.forEach(t -> rota.putTechnician(t, now));
        rota.putRotation(new OnCallRota.Rotation(ROTATION, ROTATION_START,
                TECHNICIANS.stream().map(RotaStore.Technician::code).toList()), now);
        LOG.infof("On-call rota seeded: rotation %s, %s week by week from %s", ROTATION,
                TECHNICIANS.stream().map(RotaStore.Technician::name).toList(), ROTATION_START);
        return true;
    }

    private String rotaSummary(boolean seeded) {
        List<RotaStore.Technician> technicians = rota.technicians();
        String manager = oncall.managerEmail().map(m -> oncall.managerName() + " <" + m + ">").orElse("no manager");
        return (technicians.isEmpty() ? "nobody" : technicians.stream().map(t -> t.name() + " <" + t.email() + ">")
                .reduce((x, y) -> x + ", " + y).orElse("")) + (seeded ? " (seeded)" : "") + "; then " + manager;
    }

    /** The hub's HTTP port (in tests, the test port, set once the server listens). */
    static int httpPort() {
        String name = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(name, Integer.class).orElse(8080);
    }

    /** The simulator, for the demo's test. */
    public Simulator simulator() {
        return simulator;
    }

    /** After the hub's own stops (leases, the outbox relay: priority 2500 and less), so they meet no closed server. */
    void stop(@Observes @Priority(10_000) ShutdownEvent event) {
        if (simulator != null) {
            simulator.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }
}
