package com.esii.support.hub.api;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.InvalidParam;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.OpenedTicket;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.StatusLinks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** The steps of the ticket API routes ({@code routes/ticket-api.yaml}). */
@ApplicationScoped
@Named("ticketApi")
public class TicketApi {

    public static final String NEW_TICKET = "hubNewTicket";
    public static final String OPENED = "hubOpenedTicket";
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private static final Logger LOG = Logger.getLogger(TicketApi.class);

    private final TicketIntake intake;
    private final TicketLedger ledger;
    private final StatusLinks links;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final ApiConfig config;
    private final Clock clock;

    public TicketApi(TicketIntake intake, TicketLedger ledger, StatusLinks links, ObjectMapper json, ApiConfig config,
            Clock clock) {
        this.intake = intake;
        this.ledger = ledger;
        this.links = links;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.reader = json.readerFor(ApiTicketRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** JSON body → {@link NewTicket}; a body that is not the expected JSON is refused naming what is wrong. */
    public void parse(Exchange ex) {
        byte[] body = ex.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new MalformedRequestException("The request has no body; send the ticket as JSON.", List.of());
        }
        ApiTicketRequest r;
        try {
            r = reader.readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw new MalformedRequestException("Unknown field '" + e.getPropertyName() + "'.",
                    List.of(new InvalidParam(e.getPropertyName(), "is not a field of a ticket")));
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (field.isEmpty()) {
                throw new MalformedRequestException("The body must be a JSON object.", List.of());
            }
            throw new MalformedRequestException("The field '" + field + "' has the wrong type.",
                    List.of(new InvalidParam(field, "has the wrong type")));
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException("The body is not valid JSON: " + e.getOriginalMessage(), List.of());
        } catch (java.io.IOException e) {
            throw new MalformedRequestException("The body could not be read.", List.of());
        }
        if (r == null) {
            throw new MalformedRequestException("The body must be a JSON object.", List.of());
        }
        List<NewTicket.Upload> uploads = new ArrayList<>();
        List<InvalidParam> bad = new ArrayList<>();
        List<ApiTicketRequest.Attachment> attachments = r.attachments() == null ? List.of() : r.attachments();
        for (int i = 0; i < attachments.size(); i++) {
            ApiTicketRequest.Attachment a = attachments.get(i);
            if (a == null || a.content() == null) {
                bad.add(new InvalidParam("attachments[" + i + "]", "needs a content in base64"));
                continue;
            }
            try {
                uploads.add(new NewTicket.Upload(a.filename(), a.contentType(), Base64.getDecoder().decode(WHITESPACE.matcher(a.content()).replaceAll(""))));
            } catch (IllegalArgumentException e) {
                bad.add(new InvalidParam("attachments[" + i + "].content", "is not valid base64"));
            }
        }
        if (!bad.isEmpty()) {
            throw new MalformedRequestException("Some attachments cannot be read.", bad);
        }
        ex.setProperty(NEW_TICKET, new NewTicket(Channel.API, r.name(), r.email(), r.company(), r.accessCode(),
                r.product(), r.subject(), r.description(), r.impact(), r.kind(), r.language(), uploads,
                new NewTicket.RawContent("application/json", body)));
    }

    /** Opens the ticket (validation included) in one transaction. */
    public void open(Exchange ex) {
        NewTicket t = ex.getProperty(NEW_TICKET, NewTicket.class);
        Message in = ex.getMessage();
        String key = in.getHeader("Idempotency-Key", String.class);
        if (key != null && key.length() > 255) {
            throw new MalformedRequestException("The Idempotency-Key is too long.",
                    List.of(new InvalidParam("Idempotency-Key", "must be at most 255 characters")));
        }
        Language fallback = Language.fromAcceptLanguage(in.getHeader("Accept-Language", String.class)).orElse(null);
        ex.setProperty(OPENED, intake.open(t, key, fallback));
    }

    /** 201 with the ticket, its token and its Location. */
    public void created(Exchange ex) throws JsonProcessingException {
        OpenedTicket o = ex.getProperty(OPENED, OpenedTicket.class);
        Message m = clear(ex);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        m.setHeader("Location", "/api/tickets/" + o.ticket().number());
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (o.replayed()) {
            m.setHeader("Idempotent-Replayed", "true");
        }
        m.setBody(json.writeValueAsBytes(
                TicketView.of(o.ticket(), o.accessToken(), links.statusUrl(o.ticket().number(), o.accessToken()))));
    }

    /** The public status of a ticket, to whoever holds its token; 404 alike for unknown number and wrong token. */
    public void status(Exchange ex) throws JsonProcessingException {
        Message in = ex.getMessage();
        String number = in.getHeader("number", String.class);
        String token = bearer(in.getHeader("Authorization", String.class));
        if (token == null) {
            token = in.getHeader("token", String.class);
        }
        Ticket t = intake.findWithToken(number, token).orElse(null);
        Message m = clear(ex);
        if (t == null) {
            Problems.write(m, json, Problem.of(404, "not-found", "No such ticket",
                    "No ticket matches this number and access token."));
            return;
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(json.writeValueAsBytes(TicketView.of(t, null, null)));
    }

    /**
     * Forgets the Idempotency-Keys (and the web form's resubmission records) older than
     * {@code hub.api.idempotency-retention}, after sealing any row a replica of the previous version wrote in clear
     * during a rolling upgrade. Hourly, on every replica ({@code routes/ticket-api.yaml}): both are idempotent.
     */
    public void purgeIdempotencyKeys() {
        int sealed = ledger.sealClearIdempotencyRows();
        OffsetDateTime now = OffsetDateTime.now(clock);
        int purged = ledger.purgeIdempotencyKeys(now.minus(config.idempotencyRetention()));
        if (sealed > 0 || purged > 0) {
            LOG.infof("Idempotency keys: %d purged, %d sealed", purged, sealed);
        }
    }

    private static String bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    /** Drops the request's headers so that none is echoed back as a response header. */
    static Message clear(Exchange ex) {
        Message m = ex.getMessage();
        m.removeHeaders("*");
        m.setBody(null);
        return m;
    }
}
