package com.esii.support.hub.testing.sim;

import java.util.List;
import java.util.Map;

import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.PostgresResource;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The hub against a mailbox that takes only XOAUTH2 tokens from Microsoft Entra ID ({@link MailOAuth2Resource}). */
public class MailOAuth2Profile implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(GreenMailResource.class),
                new TestResourceEntry(SimulatorResource.class), new TestResourceEntry(TestSettings.class),
                new TestResourceEntry(MailOAuth2Resource.class, Map.of("provider", "microsoft")));
    }

    /** The same with a Google service account (domain-wide delegation, JWT-bearer grant). */
    public static class Google extends MailOAuth2Profile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class),
                    new TestResourceEntry(GreenMailResource.class), new TestResourceEntry(SimulatorResource.class),
                    new TestResourceEntry(TestSettings.class),
                    new TestResourceEntry(MailOAuth2Resource.class, Map.of("provider", "google")));
        }
    }
}
