package com.esii.support.hub.ticket;

import java.util.Locale;
import java.util.Optional;

/** An anomaly ("problem") or a request for usage assistance ("question"). */
public enum Kind {
    PROBLEM, QUESTION;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromCode(String code) {
        for (Kind k : values()) {
            if (k.code().equals(code)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
