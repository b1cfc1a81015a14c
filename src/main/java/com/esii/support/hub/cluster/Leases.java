package com.esii.support.hub.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.util.DatabaseAway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Leader leases in the database, so that a job runs on one replica at a time however many there are: the mail
 * poller today, the Jira reconciliation search and other periodic jobs as they come. A job asks
 * {@code leases.isLeader("its-name")} before each run (in a route: a {@code filter} on
 * {@code method: isLeader('its-name')} of bean {@code leases}) and does nothing when the answer is no.
 *
 * <p>The leader holds a row ({@code leader_lease}: name, owner, expiry) and renews it once a third of
 * {@code hub.cluster.leader-lease} has passed; any replica takes the row over once it has expired, so a replica
 * killed outright is replaced at most one lease later, and a replica that stops cleanly hands its leases back at
 * once. A replica that cannot reach the database is never the leader. Times are the database's
 * ({@link DatabaseClock}). Leadership alone is a best effort against overlap: a leader paused longer than the lease
 * may overlap its successor, so a long run {@linkplain #fence fences} each piece of work it commits (the mail
 * poller does, for every mail; the database is asked at most once per third of the lease), and a single-active job
 * stays idempotent anyway (the same mail never opens two tickets).
 *
 * <p>{@code hub_cluster_leader{lease}} is 1 on the replica that holds a lease and 0 on the others (a series per lease
 * this replica has asked for): summed over the replicas it is normally 1, and 0 means no replica leads that job.
 */
@ApplicationScoped
@Named("leases")
public class Leases {

    private static final Logger LOG = Logger.getLogger(Leases.class);

    private final DataSource ds;
    private final ClusterConfig config;
    private final Clock clock;
    private final String owner;
    /** Leases this replica holds, with the expiry it last wrote. */
    private final Map<String, OffsetDateTime> held = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    /** Taking a lease and stopping exclude each other: a lease taken as the replica stops would outlive it. */
    private final Object taking = new Object();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    /** Told when this replica stops holding a lease (lost, handed back, or stopping). */
    private final Map<String, java.util.List<Runnable>> onLoss = new ConcurrentHashMap<>();

    /** Leases on the database's clock: replicas whose clocks disagree still agree on who leads. */
    @Inject
    public Leases(DataSource ds, ClusterConfig config, ClusterNode node) {
        this(ds, config, new DatabaseClock(ds), node.name());
    }

    /** A lease holder with its own owner name (tests use two in one JVM to play two replicas). */
    public Leases(DataSource ds, ClusterConfig config, Clock clock, String owner) {
        this.ds = ds;
        this.config = config;
        this.clock = clock;
        this.owner = owner;
    }

    @Inject
    void metrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public String owner() {
        return owner;
    }

    /** How often a held lease is renewed: a third of {@code hub.cluster.leader-lease}. */
    public Duration renewalInterval() {
        return config.leaderLease().dividedBy(3);
    }

    /**
     * Runs {@code action} whenever this replica stops holding {@code name}: its renewal failed, a fence found it
     * gone, or it was handed back (the replica stopping). For work that waits as the leader (the mailbox's IDLE),
     * so that it ends at once. The action must not block.
     */
    public void whenLost(String name, Runnable action) {
        onLoss.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(action);
    }

    private void lost(String name) {
        for (Runnable r : onLoss.getOrDefault(name, java.util.List.of())) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not tell that the lease %s was lost", name);
            }
        }
    }

    /**
     * True when this replica is the leader for {@code name} now: it held the lease and renewed it, or took it
     * because it was free or expired. Cheap to call every second: the database is asked at most once per third of
     * the lease while the lease is held.
     */
    public boolean isLeader(String name) {
        gauge(name);
        if (stopped) {
            return false;
        }
        Duration lease = config.leaderLease();
        OffsetDateTime now;
        try {
            now = OffsetDateTime.now(clock);
        } catch (RuntimeException e) {
            if (!DatabaseAway.isCause(e)) {
                throw e;
            }
            // the database is away (its clock cannot be read): nobody leads until it is back
            if (held.remove(name) != null) {
                LOG.warnf("Could not renew the lease %s (%s): no longer its leader", name, e.getMessage());
                lost(name);
            }
            return false;
        }
        OffsetDateTime until = held.get(name);
        if (until != null && now.isBefore(until.minus(lease.multipliedBy(2).dividedBy(3)))) {
            return true;
        }
        boolean leader;
        synchronized (taking) {
            if (stopped) {
                return false;
            }
            try {
                leader = acquire(name, now, now.plus(lease));
            } catch (SQLException e) {
                if (until != null) {
                    LOG.warnf("Could not renew the lease %s (%s): no longer its leader", name, e.getMessage());
                }
                leader = false;
            }
            if (leader && held.put(name, now.plus(lease)) == null) {
                LOG.infof("%s is now the leader of %s", owner, name);
            }
        }
        if (!leader && held.remove(name) != null) {
            LOG.warnf("%s lost the lease %s", owner, name);
            lost(name);
        }
        return leader;
    }

    /**
     * Inside the caller's transaction: checks that this replica still holds {@code name} and extends it by one lease,
     * locking the lease row until the transaction ends, so that no other replica can take the lease over before the
     * work is committed. Throws {@link LeaseLost} (the caller's transaction then rolls back) when the lease has
     * expired or another replica holds it.
     *
     * <p>While less than a third of the lease has passed since this replica last wrote it (a renewal or a fence),
     * that write stands, as {@link #isLeader} trusts it: no replica can take the lease over before it expires, two
     * thirds of a lease later at the soonest, so the work may commit without asking the database again (a burst of
     * mails asked once per mail: issue 29). A lease lost or handed back meanwhile is no longer held here, and the
     * database is asked. What such a fence does not cover: a pause of two thirds of a lease between the fence and
     * the commit (the row is not locked then); the work's own idempotence covers it (a mail's seen key).
     */
    public void fence(String name) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime written = held.get(name);
        if (written != null && now.isBefore(written.minus(config.leaderLease().multipliedBy(2).dividedBy(3)))) {
            return;
        }
        OffsetDateTime until = now.plus(config.leaderLease());
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE leader_lease SET expires_at = ?, renewed_at = ? WHERE name = ? AND owner = ? AND expires_at >= ?")) {
            ps.setObject(1, until);
            ps.setObject(2, now);
            ps.setString(3, name);
            ps.setString(4, owner);
            ps.setObject(5, now);
            if (ps.executeUpdate() != 1) {
                held.remove(name);
                lost(name);
                throw new LeaseLost(owner + " no longer holds the lease " + name);
            }
        } catch (SQLException e) {
            throw new LeaseLost("Could not check the lease " + name + ": " + e.getMessage());
        }
        held.put(name, until);
    }

    /** The lease a piece of work was fenced by is no longer this replica's: the work must not be committed. */
    public static final class LeaseLost extends RuntimeException {
        public LeaseLost(String message) {
            super(message);
        }
    }

    private void gauge(String name) {
        MeterRegistry r = registry;
        if (r != null && gauged.add(name)) {
            Gauge.builder("hub.cluster.leader", this, l -> l.leads(name) ? 1 : 0)
                    .description("1 while this replica holds the leader lease, else 0")
                    .tag("lease", name)
                    .register(r);
        }
    }

    /** {@link #holds}, and false when the database's clock cannot be read (no replica leads then). */
    private boolean leads(String name) {
        try {
            return holds(name);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether this replica believes it holds {@code name} (for health and metrics). */
    public boolean holds(String name) {
        OffsetDateTime until = held.get(name);
        return until != null && OffsetDateTime.now(clock).isBefore(until);
    }

    /** The current holder of {@code name} as the database sees it, if its lease has not expired. */
    public Optional<String> leader(String name) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT owner FROM leader_lease WHERE name = ? AND expires_at >= ?")) {
            ps.setString(1, name);
            ps.setObject(2, OffsetDateTime.now(clock));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the lease " + name, e);
        }
    }

    /** Gives {@code name} up now, so that another replica takes it over at its next try. */
    public void release(String name) {
        if (held.remove(name) == null) {
            return;
        }
        lost(name);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE leader_lease SET expires_at = ? WHERE name = ? AND owner = ?")) {
            ps.setObject(1, OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
            ps.setString(2, name);
            ps.setString(3, owner);
            ps.executeUpdate();
            LOG.infof("%s handed the lease %s back", owner, name);
        } catch (SQLException e) {
            LOG.warnf("Could not hand the lease %s back (%s): it will expire by itself", name, e.getMessage());
        }
    }

    /**
     * Stops leading anything and hands every lease back (a stopping replica); a lease being taken at this moment is
     * held first, then handed back with the others.
     */
    public void releaseAll() {
        synchronized (taking) {
            stopped = true;
        }
        for (String name : held.keySet()) {
            release(name);
        }
    }

    private boolean acquire(String name, OffsetDateTime now, OffsetDateTime until) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE leader_lease SET owner = ?, expires_at = ?,"
                    + " renewed_at = ? WHERE name = ? AND (owner = ? OR expires_at < ?)")) {
                ps.setString(1, owner);
                ps.setObject(2, until);
                ps.setObject(3, now);
                ps.setString(4, name);
                ps.setString(5, owner);
                ps.setObject(6, now);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            // No row yet (first run of this job anywhere), or another replica holds it.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leader_lease (name, owner, expires_at, renewed_at)"
                    + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM leader_lease WHERE name = ?)")) {
                ps.setString(1, name);
                ps.setString(2, owner);
                ps.setObject(3, until);
                ps.setObject(4, now);
                ps.setString(5, name);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false; // another replica inserted it at the same moment
                }
                throw e;
            }
        }
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        releaseAll();
    }
}
