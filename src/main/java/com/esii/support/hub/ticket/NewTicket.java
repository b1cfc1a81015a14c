package com.esii.support.hub.ticket;

import java.util.List;

/**
 * A customer's request for a new ticket, as received from the web form or the API, before validation.
 * Impact, kind and language are kept as given so that the validator can name a bad value.
 */
public record NewTicket(
        Channel channel,
        String name,
        String email,
        String company,
        String accessCode,
        String product,
        String subject,
        String description,
        String impact,
        String kind,
        String language,
        List<Upload> attachments,
        RawContent raw) {

    public NewTicket {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A file the customer attached. */
    public record Upload(String filename, String contentType, byte[] content) {
    }

    /** The request exactly as received, kept with the ticket. */
    public record RawContent(String contentType, byte[] content) {
    }
}
