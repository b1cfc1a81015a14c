package com.esii.support.hub.erp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Activity records as the simulated ERP holds them: each record once (by its key) and in order per ticket, also
 * when the ERP's answer is lost after it stored a record, when it is down for a while, and when a seeded fraction
 * of all writes fail.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class SimulatedErpRecordsTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Inject
    ContractDirectory contracts;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        contracts.forgetAll();
    }

    static List<String> activities(List<Simulator.ErpRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.activity()));
        return out;
    }

    long unsent(String number) {
        return Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t ON t.id = r.ticket_id WHERE t.number = ?"
                + " AND r.sent_at IS NULL", number);
    }

    @Test
    void eachRecordOfATicketReachesTheErpOnceAndInOrder() {
        String number = ErpRecordsTest.open(Samples.unique("sim-journal"), "4711-2026");
        ErpRecordsTest.step(number, "taken-in-charge", null, null);
        ErpRecordsTest.step(number, "on-site-decided", "intervention", null);
        ErpRecordsTest.step(number, "on-site-done", null, null);
        ErpRecordsTest.step(number, "workshop-repaired", null, null);
        ErpRecordsTest.step(number, "resolved", null, null);
        List<String> expected = List.of("opened", "taken-in-charge", "intervention-decided", "intervention-done",
                "workshop-repair", "closed");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.records(number).size() >= expected.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> unsent(number) == 0);
        assertEquals(expected, activities(sim.records(number)));
        Simulator.ErpRecord opened = sim.records(number).get(0);
        assertEquals(number + "/opened/1", opened.key());
        assertEquals("C0001", opened.param().path("customer").asText());
        assertEquals("maintained", opened.param().path("contract").asText());
        assertEquals(List.of(), sim.duplicates(), "no record reached the ERP twice");
    }

    @Test
    void aRecordWhoseAnswerWasLostIsLookedUpByItsKeyAndNotSentAgain() {
        String number = ErpRecordsTest.open(Samples.unique("sim-lost-answer"), "4711-2026");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.receivedCount(number + "/opened/1") == 1);
        sim.faults().on("POST", "/api/v1/WebService/Execute").withBody("taken-in-charge").timeoutAfterCommit().once();
        ErpRecordsTest.step(number, "taken-in-charge", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> unsent(number) == 0);
        String key = number + "/taken-in-charge/1";
        assertEquals(1, sim.receivedCount(key),
                "the ERP took it, the hub did not hear so, asked the ERP by its key (hub.erp.record-lookup-action) and"
                        + " did not send it again");
        assertTrue(sim.journal().stream().anyMatch(e -> e.toString().contains("HUB_ACTIVITE_LIRE")),
                "the retry asked the ERP first");
        assertEquals(List.of("opened", "taken-in-charge"), activities(sim.records(number)), "stored once");
        assertEquals(List.of(), sim.duplicates());
    }

    @Test
    void theErpDownForAWhileThenBackGetsEveryRecordOnceInOrder() {
        var down = sim.faults().on("POST", "/api/v1/WebService/Execute").withBody("HUB_ACTIVITE_SUPPORT").status(503);
        String number = ErpRecordsTest.open(Samples.unique("sim-erp-down"), "4711-2026");
        ErpRecordsTest.step(number, "taken-in-charge", null, null);
        ErpRecordsTest.step(number, "workshop-repaired", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> down.hits() >= 4);
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE lane = ? AND status = 'DEAD'", "erp:" + number));
        assertTrue(sim.records(number).isEmpty());
        sim.faults().clear(); // back
        await().atMost(Duration.ofSeconds(30)).until(() -> unsent(number) == 0);
        assertEquals(List.of("opened", "taken-in-charge", "workshop-repair"), activities(sim.records(number)));
        assertEquals(List.of(), sim.duplicates());
    }

    @Test
    void aSeededFractionOfFailingErpWritesLosesNothingAndKeepsEachTicketsOrder() {
        sim.faults().onWrites().fraction(0.3, 7).status(502);
        sim.faults().on("POST", "/api/v1/WebService/Execute").withBody("HUB_ACTIVITE_SUPPORT").fraction(0.15, 11)
                .timeoutAfterCommit(Duration.ofMillis(1_200));
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String n = ErpRecordsTest.open(Samples.unique("sim-flaky"), "4711-2026");
            numbers.add(n);
            ErpRecordsTest.step(n, "taken-in-charge", null, null);
            ErpRecordsTest.step(n, "workshop-repaired", null, null);
        }
        for (String n : numbers) {
            await().atMost(Duration.ofSeconds(60)).until(() -> unsent(n) == 0);
            assertEquals(List.of("opened", "taken-in-charge", "workshop-repair"), activities(sim.records(n)), n);
        }
        // a lost answer makes the hub ask the ERP by the record's key before sending it again
        assertEquals(List.of(), sim.duplicates(), "no record reached the ERP twice");
    }
}
