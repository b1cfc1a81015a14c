package com.esii.support.hub.ticket;

import java.util.Locale;
import java.util.Optional;

/** The brochure's criticality of an anomaly; the web form and the API call it "impact". */
public enum Criticality {
    BLOCKING, MAJOR, MINOR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Criticality> fromCode(String code) {
        for (Criticality c : values()) {
            if (c.code().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
