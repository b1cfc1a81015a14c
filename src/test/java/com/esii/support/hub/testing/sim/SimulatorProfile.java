package com.esii.support.hub.testing.sim;

import java.util.List;

import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.PostgresResource;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The hub against the {@link Simulator} instead of WireMock: the global test resources but WireMock
 * (PostgreSQL, GreenMail, the test settings) and {@link SimulatorResource}. Test classes with this profile share
 * one Quarkus start.
 */
public class SimulatorProfile implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(GreenMailResource.class),
                new TestResourceEntry(SimulatorResource.class), new TestResourceEntry(TestSettings.class));
    }
}
