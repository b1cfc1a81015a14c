package com.esii.support.hub.outbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.cluster.DatabaseClock;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The delivery discipline every side effect follows: a claimed row counts as attempted, a dead row holds its lane
 * until an operator replays or skips it (both in the ticket's history), and a target away for long is reported.
 */
@QuarkusTest
class OutboxDisciplineTest extends HubTestResources {

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    DataSource ds;

    @Test
    void aRowClaimedByAReplicaThatDiedIsPerformedByAnotherThatKnowsItMayHaveReachedItsTarget() {
        DatabaseClock db = new DatabaseClock(ds);
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            long fresh = outbox.enqueue(TestHandlers.Creating.TYPE, "test:fresh-" + UUID.randomUUID(), null,
                    Map.of(), OffsetDateTime.now());
            long orphan = outbox.enqueue(TestHandlers.Creating.TYPE, "test:orphan-" + UUID.randomUUID(), null,
                    Map.of(), OffsetDateTime.now());
            // postponed, so that this replica's relay does not take it before the "dead replica" below
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", OffsetDateTime.now().plusYears(1), orphan);
            return List.of(fresh, orphan);
        });
        long fresh = ids.get(0);
        long orphan = ids.get(1);
        // A replica claims the orphan for one second, starts it, and is killed: nothing more is written.
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", db.now(), orphan);
        OffsetDateTime now = db.now();
        assertTrue(outbox.claim(orphan, "killed-replica", now, now.plusSeconds(1)));
        assertEquals(1, outbox.find(orphan).orElseThrow().attempts(), "the claim is the attempt");
        relay.wake();

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> outbox.find(orphan).orElseThrow().status() == OutboxStatus.DONE
                        && outbox.find(fresh).orElseThrow().status() == OutboxStatus.DONE);
        assertEquals(Boolean.TRUE, TestHandlers.Creating.MAY_HAVE_REACHED.get(orphan),
                "taken over after the lease: the handler must ask the target before creating again");
        assertEquals(Boolean.FALSE, TestHandlers.Creating.MAY_HAVE_REACHED.get(fresh),
                "a first attempt needs no look-up");
        assertEquals(2, outbox.find(orphan).orElseThrow().claims());
    }

    /**
     * A look of the relay claims the rows it chose in one statement (issue 29): each free row is claimed and
     * answered as claimed (the claim counted as an attempt); a row another replica holds and a row no longer pending
     * are not taken, and stay as they were.
     */
    @Test
    void severalRowsAreClaimedInOneStatementAndOnlyTheFreeOnes() {
        DatabaseClock db = new DatabaseClock(ds);
        String lane = "test:batch-" + UUID.randomUUID();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> List.of(
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-b", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-c", null, Map.of(), OffsetDateTime.now())));
        long free = ids.get(0);
        long held = ids.get(1);
        long done = ids.get(2);
        OffsetDateTime now = db.now();
        // none of them is this replica's relay's to take meanwhile
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ANY(?)", now.plusYears(1),
                (Object) ids.toArray(Long[]::new));
        Db.update(ds, "UPDATE outbox SET claimed_by = 'other-replica', claimed_until = ? WHERE id = ?",
                now.plusHours(1), held);
        Db.update(ds, "UPDATE outbox SET status = 'DONE' WHERE id = ?", done);

        List<OutboxRow> claimed = outbox.claim(ids, "replica-x", now, now.plusSeconds(12));

        assertEquals(List.of(free), claimed.stream().map(OutboxRow::id).toList());
        OutboxRow row = claimed.get(0);
        assertEquals(1, row.attempts(), "the claim is the attempt");
        assertEquals(1, row.claims());
        assertEquals(lane + "-a", row.lane());
        assertEquals(TestHandlers.Creating.TYPE, row.type());
        assertEquals(OutboxStatus.PENDING, row.status());
        assertEquals("replica-x", Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", free));
        assertEquals("other-replica", Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", held));
        assertEquals(0, Db.count(ds, "SELECT attempts FROM outbox WHERE id = ?", held));
        assertEquals(0, Db.count(ds, "SELECT attempts FROM outbox WHERE id = ?", done));
        assertEquals(List.of(), outbox.claim(List.of(), "replica-x", now, now.plusSeconds(12)));
        Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE id = ANY(?)", (Object) ids.toArray(Long[]::new));
    }

    /**
     * The rows a relay's workers finished together are marked done in one statement (issue 29): each row still
     * claimed by this replica is done (its claim released, its payload's access token scrubbed, the other payloads
     * kept as they were); a row whose claim another replica took over meanwhile is not marked, and stays that
     * replica's to perform.
     */
    @Test
    void rowsFinishedTogetherAreMarkedDoneInOneStatementOnlyWhileStillClaimed() {
        DatabaseClock db = new DatabaseClock(ds);
        String lane = "test:done-" + UUID.randomUUID();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> List.of(
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of("n", 1), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-b", null,
                        Map.of(Outbox.TOKEN, "secret-link-token", "n", 2), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-c", null, Map.of("n", 3), OffsetDateTime.now())));
        OffsetDateTime now = db.now();
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ANY(?)", now.plusYears(1),
                (Object) ids.toArray(Long[]::new));
        List<OutboxRow> claimed = outbox.claim(ids, "replica-x", now, now.plusSeconds(12));
        assertEquals(3, claimed.size());
        // (a claim answers its rows in no particular order)
        String plain = claimed.stream().filter(r -> r.id() == ids.get(0)).findFirst().orElseThrow().payload();
        // the third row's lease ended and another replica took it over
        Db.update(ds, "UPDATE outbox SET claimed_by = 'other-replica' WHERE id = ?", ids.get(2));

        assertEquals(Set.of(ids.get(0), ids.get(1)), outbox.done(claimed, "replica-x", now));

        assertEquals("DONE", Db.string(ds, "SELECT status FROM outbox WHERE id = ?", ids.get(0)));
        assertEquals("DONE", Db.string(ds, "SELECT status FROM outbox WHERE id = ?", ids.get(1)));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE id = ANY(?) AND claimed_by IS NOT NULL"
                + " AND status = 'DONE'", (Object) ids.toArray(Long[]::new)));
        assertEquals(plain, Db.string(ds, "SELECT payload FROM outbox WHERE id = ?", ids.get(0)));
        String scrubbed = Db.string(ds, "SELECT payload FROM outbox WHERE id = ?", ids.get(1));
        assertFalse(scrubbed.contains("secret-link-token"), scrubbed);
        assertTrue(scrubbed.contains("\"n\":2"), scrubbed);
        assertEquals("PENDING", Db.string(ds, "SELECT status FROM outbox WHERE id = ?", ids.get(2)));
        assertEquals("other-replica", Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", ids.get(2)));
        assertEquals(Set.of(), outbox.done(List.of(), "replica-x", now));
        Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE id = ?", ids.get(2));
    }

    /**
     * What the subscribers of a new ticket queue is written together (issue 29: one INSERT where a new ticket's
     * four rows took four): inside {@link Outbox#together} a row {@linkplain Outbox#add added} is not written until
     * the end, or until a row whose id is asked for ({@link Outbox#enqueue}) is written with the ones before it;
     * the ids follow the order the rows were queued in (a lane's order); a failing {@code fire} writes nothing, and
     * the next row outside is written at once.
     */
    @Test
    void rowsQueuedTogetherAreWrittenAtTheEndInTheirOrder() {
        String lane = "test:together-" + UUID.randomUUID();
        String count = "SELECT count(*) FROM outbox WHERE lane LIKE ?";
        OffsetDateTime now = OffsetDateTime.now();
        long[] asked = new long[1];
        long[] seen = new long[3];
        long[] given = new long[2];
        QuarkusTransaction.requiringNew().run(() -> outbox.together(() -> {
            outbox.add(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of("n", 1), now);
            outbox.add(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of("n", 2), now);
            seen[0] = Db.count(ds, count, lane + "%");
            asked[0] = outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-b", null, Map.of("n", 3), now);
            seen[1] = Db.count(ds, count, lane + "%");
            outbox.add(TestHandlers.Creating.TYPE, lane + "-c", null, "someone@example.com", Map.of("n", 4), now);
            outbox.add(TestHandlers.Creating.TYPE, lane + "-d", null, Map.of("n", 5), now, id -> given[0] = id);
            seen[2] = Db.count(ds, count, lane + "%");
            given[1] = given[0];
        }));
        // read in the transaction (its connection): the two added rows were not written until the third was asked
        // its id, the fourth not until the end
        assertEquals(List.of(0L, 3L, 3L), List.of(seen[0], seen[1], seen[2]));
        List<String> order = Db.strings(ds, "SELECT payload FROM outbox WHERE lane LIKE ? ORDER BY id", lane + "%");
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}"), order);
        // the last one's id handed over once written (the ERP record names its row so), not before
        assertEquals(0, given[1]);
        assertEquals(lane + "-d", Db.string(ds, "SELECT lane FROM outbox WHERE id = ?", given[0]));
        assertEquals(lane + "-b", Db.string(ds, "SELECT lane FROM outbox WHERE id = ?", asked[0]));
        assertEquals("someone@example.com", Db.string(ds, "SELECT recipient FROM outbox WHERE lane = ?", lane + "-c"));

        String failed = lane + "-failed";
        Assertions.assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(
                () -> outbox.together(() -> {
                    outbox.add(TestHandlers.Creating.TYPE, failed, null, Map.of(), now);
                    throw new IllegalStateException("a subscriber failed");
                })));
        QuarkusTransaction.requiringNew().run(() -> outbox.add(TestHandlers.Creating.TYPE, failed + "-after", null,
                Map.of(), now));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE lane = ?", failed));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox WHERE lane = ?", failed + "-after"));
        Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE lane LIKE ?", lane + "%");
    }

    /**
     * The look for due rows (issue 29: urgent ones and the others looked for apart, each in index order): the urgent
     * rows first, then the others by due time; never a row held behind an earlier one of its lane, nor one another
     * replica holds; at most the limit.
     */
    @Test
    void theLookForDueRowsGivesTheUrgentFirstThenTheOthersInOrderAndNeverAHeldOrClaimedOne() {
        DatabaseClock db = new DatabaseClock(ds);
        String lane = "test:due-" + UUID.randomUUID();
        OffsetDateTime now = db.now();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> List.of(
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-a", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue("mail-ack", lane + "-b", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-c", null, Map.of(), OffsetDateTime.now()),
                outbox.enqueue(TestHandlers.Creating.TYPE, lane + "-d", null, Map.of(), OffsetDateTime.now())));
        long first = ids.get(0);
        long held = ids.get(1);
        long urgent = ids.get(2);
        long claimed = ids.get(3);
        long later = ids.get(4);
        // due in a year (this replica's relay leaves them), the urgent one last of all
        OffsetDateTime due = now.plusYears(1);
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ANY(?)", due, (Object) ids.toArray(Long[]::new));
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", due.plusSeconds(2), later);
        Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", due.plusSeconds(5), urgent);
        Db.update(ds, "UPDATE outbox SET claimed_by = 'other-replica', claimed_until = ? WHERE id = ?",
                due.plusYears(1), claimed);
        OffsetDateTime then = due.plusSeconds(10);
        try {
            List<Outbox.Due> found = outbox.due(then, 100).stream().filter(d -> ids.contains(d.id())).toList();
            assertEquals(List.of(new Outbox.Due(urgent, true), new Outbox.Due(first, false),
                    new Outbox.Due(later, false)), found);
            assertTrue(outbox.due(then, 2).size() <= 2, "at most the limit");
            // under a limit the urgent come first, though due last (a look of one row takes an urgent one)
            List<Outbox.Due> one = outbox.due(then, 1);
            assertEquals(1, one.size());
            assertTrue(one.get(0).urgent(), one.toString());

            // The relay's look claims them in the same statement (claimDue): no row but the urgent while the others
            // may take no worker, none the relay is performing (here: the first), never a held or claimed one.
            // (Rows of other tests due meanwhile are claimed too, and handed back below.)
            List<OutboxRow> urgentOnly = outbox.claimDue("replica-x", then, then.plusSeconds(12), 1000, 0,
                    List.of(first));
            assertEquals(List.of(urgent), urgentOnly.stream().map(OutboxRow::id).filter(ids::contains).toList());
            assertTrue(urgentOnly.stream().allMatch(r -> outbox.urgent(r.type())), "no row that is not urgent");
            List<OutboxRow> rest = outbox.claimDue("replica-x", then, then.plusSeconds(12), 1000, 1000,
                    List.of(first));
            assertEquals(List.of(later), rest.stream().map(OutboxRow::id).filter(ids::contains).toList());
            OutboxRow row = rest.stream().filter(r -> r.id() == later).findFirst().orElseThrow();
            assertEquals(1, row.attempts(), "the claim is the attempt");
            assertEquals(1, row.claims());
            assertEquals("replica-x", Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", urgent));
            assertEquals(null, Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", first));
            assertEquals("other-replica", Db.string(ds, "SELECT claimed_by FROM outbox WHERE id = ?", claimed));
            for (int i = 1; i < rest.size(); i++) {
                assertTrue(outbox.urgent(rest.get(i - 1).type()) || !outbox.urgent(rest.get(i).type()),
                        "the urgent first");
            }
            assertEquals(List.of(), outbox.claimDue("replica-x", then, then.plusSeconds(12), 0, 10, List.of()));
        } finally {
            Db.update(ds, "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1,"
                    + " claims = claims - 1 WHERE claimed_by = 'replica-x' AND NOT (id = ANY(?))",
                    (Object) ids.toArray(Long[]::new));
            Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE id = ANY(?)", (Object) ids.toArray(Long[]::new));
        }
    }

    @Test
    void aDeadRowHoldsItsLaneUntilTheOperatorSkipsItAndBothAreInTheTicketsHistory() {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("held")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        long ticketId = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        String lane = "test:held-" + number;
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> List.of(
                outbox.enqueue(TestHandlers.Refused.TYPE, lane, ticketId, Map.of(), OffsetDateTime.now()),
                // not Recording: OutboxRelayTest counts that type's rows
                outbox.enqueue(TestHandlers.Creating.TYPE, lane, ticketId, Map.of(), OffsetDateTime.now())));
        long refused = ids.get(0);
        long behind = ids.get(1);
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> outbox.find(refused).orElseThrow().status() == OutboxStatus.DEAD);
        // Several sweeps later the row behind it has not moved.
        long sweeps = 0;
        while (sweeps++ < 5) {
            relay.drain();
        }
        assertEquals(OutboxStatus.PENDING, outbox.find(behind).orElseThrow().status());
        assertEquals(0, outbox.find(behind).orElseThrow().attempts());
        assertFalse(TestHandlers.Creating.MAY_HAVE_REACHED.containsKey(behind));
        // read from the database at most every two seconds
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metric("hub_outbox_held_rows") >= 1);
        given().when().get("/q/health/group/outbox").then().statusCode(503).body(containsString("heldRows"));

        // The operator replays it: it is refused again, and the replay is in the ticket's history.
        admin().post("/admin/outbox/" + refused + "/replay").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> outbox.find(refused).orElseThrow().status() == OutboxStatus.DEAD);
        assertEquals(OutboxStatus.PENDING, outbox.find(behind).orElseThrow().status());
        // Then skips it: the row behind goes.
        admin().post("/admin/outbox/" + refused + "/skip").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> outbox.find(behind).orElseThrow().status() == OutboxStatus.DONE);
        assertEquals(OutboxStatus.SKIPPED, outbox.find(refused).orElseThrow().status());
        admin().post("/admin/outbox/" + refused + "/skip").then().statusCode(404);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = 'outbox-replayed'"
                + " AND source = 'admin'", ticketId));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = 'outbox-skipped'"
                + " AND detail LIKE '%400 Bad Request%'", ticketId));
        admin().get("/admin/tickets/" + number).then().statusCode(200).body(containsString("outbox-skipped"));
    }

    @Test
    void aTargetAwayLongerThanTheAlertTimeIsReportedWhileItsRowKeepsWaiting() {
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Unavailable.TYPE,
                "test:away-" + UUID.randomUUID(), null, Map.of(), OffsetDateTime.now()));
        relay.wake();
        // hub.outbox.alert-after is 3 s in the tests; the retry budget (5) would be spent by then
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> metric("hub_outbox_overdue_rows{type=\"test-unavailable\"}") >= 1
                        || given().when().get("/q/health/group/outbox").asString().contains("overdue.test-unavailable"));
        given().when().get("/q/health/group/outbox").then().statusCode(503)
                .body(containsString("overdue.test-unavailable"));
        OutboxRow row = outbox.find(id).orElseThrow();
        assertEquals(OutboxStatus.PENDING, row.status(), "never dead while its target is away");
        assertTrue(row.attempts() >= 5, "tried past the retry budget: " + row);
        // the operator gives up on it; the health check comes back once nothing else is wrong
        QuarkusTransaction.requiringNew().run(() -> Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE id = ?", id));
    }

    private static io.restassured.specification.RequestSpecification admin() {
        // X-Requested-By: a state-changing admin request must show it is no cross-site form (AdminCrossSiteGuard)
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).header("X-Requested-By", "test")
                .when();
    }

    private static double metric(String prefix) {
        return given().when().get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
