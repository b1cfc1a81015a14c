package com.esii.support.hub.testing;

import java.util.Map;
import java.util.UUID;

/** Sample requests for tests. */
public final class Samples {
    private Samples() {
    }

    /** A fresh customer address, so that each test reads its own mailbox. */
    public static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
    }

    public static Map<String, Object> ticket(String email) {
        return Map.of(
                "name", "Jane Doe",
                "email", email,
                "company", "ACME",
                "product", "Tracker 3000",
                "subject", "The tracker stopped",
                "description", "Since this morning the tracker shows nothing.",
                "impact", "blocking",
                "kind", "problem");
    }
}
