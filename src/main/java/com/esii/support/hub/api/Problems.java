package com.esii.support.hub.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.IdempotencyConflictException;
import com.esii.support.hub.ticket.InvalidTicketException;
import com.esii.support.hub.util.DatabaseAway;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns what went wrong in an API route into an RFC 9457 answer (the {@code api-errors} route configuration). */
@ApplicationScoped
@Named("problems")
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public void respond(Exchange ex) {
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem p;
        if (e instanceof InvalidTicketException invalid) {
            p = Problem.invalid(invalid.invalidParams());
        } else if (e instanceof MalformedRequestException malformed) {
            p = new Problem("urn:support-hub:problem:malformed-request", "Your request cannot be read", 400,
                    malformed.getMessage(), malformed.params());
        } else if (e instanceof IdempotencyConflictException) {
            p = Problem.of(422, "idempotency-key-reused", "Idempotency-Key already used", e.getMessage());
        } else if (DatabaseAway.isCause(e)) {
            // a database restart: nothing was stored, and the same request will work in a moment
            LOG.warnf("Route %s answered 503: the database is unreachable (%s)", ex.getFromRouteId(), e.getMessage());
            p = Problem.of(503, "unavailable", "Service briefly unavailable",
                    "We could not process your request; nothing was created. Please try again in a few moments.");
            Message m = TicketApi.clear(ex);
            m.setHeader("Retry-After", String.valueOf(DatabaseAway.RETRY_AFTER_SECONDS));
            write(m, json, p);
            return;
        } else {
            LOG.errorf(e, "Unexpected failure in route %s", ex.getFromRouteId());
            p = Problem.of(500, "internal", "Internal error",
                    "We could not process your request; nothing was created. Please try again.");
        }
        write(TicketApi.clear(ex), json, p);
    }

    static void write(Message m, ObjectMapper json, Problem p) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, p.status());
        m.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        m.setHeader("Cache-Control", "no-store");
        try {
            m.setBody(json.writeValueAsBytes(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
