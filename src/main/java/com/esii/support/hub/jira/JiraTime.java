package com.esii.support.hub.jira;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Jira's timestamps: the platform's {@code 2021-01-18T23:45:00.000+0000} (offset without a colon, which
 * ISO_OFFSET_DATE_TIME refuses), ISO-8601 with a colon, JSM's DateDTO ({@code epochMillis} preferred) and
 * webhooks' epoch milliseconds.
 */
public final class JiraTime {

    private static final DateTimeFormatter JIRA = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("[XXX][XX][X]")
            .toFormatter();

    private JiraTime() {
    }

    public static OffsetDateTime parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s, JIRA);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s);
        }
    }

    /** A platform timestamp string, a JSM DateDTO or epoch milliseconds. */
    public static OffsetDateTime of(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return Instant.ofEpochMilli(n.asLong()).atOffset(java.time.ZoneOffset.UTC);
        }
        if (n.isObject()) {
            if (n.hasNonNull("epochMillis")) {
                return Instant.ofEpochMilli(n.get("epochMillis").asLong()).atOffset(java.time.ZoneOffset.UTC);
            }
            return parse(n.path("iso8601").asText(null));
        }
        return parse(n.asText());
    }
}
