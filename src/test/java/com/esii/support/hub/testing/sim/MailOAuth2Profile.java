package com.esii.support.hub.testing.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulator profile's resources, and a mailbox that takes only XOAUTH2 tokens from Microsoft Entra ID
 * ({@link MailOAuth2Resource}).
 */
public class MailOAuth2Profile extends SimulatorProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(MailOAuth2Resource.class, Map.of("provider", provider())));
        return resources;
    }

    String provider() {
        return "microsoft";
    }

    /** The same with a Google service account (domain-wide delegation, JWT-bearer grant). */
    public static class Google extends MailOAuth2Profile {
        @Override
        String provider() {
            return "google";
        }
    }
}
