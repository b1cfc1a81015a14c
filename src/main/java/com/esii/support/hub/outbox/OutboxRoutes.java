package com.esii.support.hub.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;

/**
 * The edges' routes that perform outbox rows, the only way a row is performed: a row of type {@code t} goes to
 * {@code direct:outbox-t} (see {@code routes/jira.yaml}, {@code erp.yaml}, {@code mail.yaml}, {@code oncall.yaml},
 * {@code onsite.yaml}). The row is the body; its id, type, lane and ticket number are headers. The route runs on the
 * relay's worker thread and returns when the effect is done; what it throws comes back to the relay as the original
 * exception, so that the relay decides done, retry or dead.
 */
@ApplicationScoped
public class OutboxRoutes {

    public static final String PREFIX = "direct:outbox-";
    public static final String ID = "outboxId";
    public static final String TYPE = "outboxType";
    public static final String LANE = "outboxLane";
    public static final String TICKET = "ticket";

    private final CamelContext camel;
    private final ProducerTemplate producer;

    public OutboxRoutes(CamelContext camel, ProducerTemplate producer) {
        this.camel = camel;
        this.producer = producer;
    }

    public static String uri(String type) {
        return PREFIX + type;
    }

    /** Whether a route performs rows of this type (asked at each row: routes start after the relay is built). */
    public boolean has(String type) {
        String uri = "direct://outbox-" + type;
        for (Route r : camel.getRoutes()) {
            if (uri.equals(r.getEndpoint().getEndpointBaseUri())) {
                return true;
            }
        }
        return false;
    }

    /** The types the edges' routes perform: the outbox's types, as the edges registered them. */
    public Set<String> types() {
        String prefix = "direct://outbox-";
        Set<String> types = new TreeSet<>();
        for (Route r : camel.getRoutes()) {
            String uri = r.getEndpoint().getEndpointBaseUri();
            if (uri.startsWith(prefix)) {
                types.add(uri.substring(prefix.length()));
            }
        }
        return types;
    }

    /** Sends the row through its route and waits for it; throws what the route's step threw. */
    public void perform(OutboxRow row) throws Exception {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(ID, row.id());
        headers.put(TYPE, row.type());
        headers.put(LANE, row.lane());
        String ticket = OutboxRelay.ticketOf(row.lane());
        if (ticket != null) {
            headers.put(TICKET, ticket);
        }
        try {
            producer.sendBodyAndHeaders(uri(row.type()), row, headers);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }
}
