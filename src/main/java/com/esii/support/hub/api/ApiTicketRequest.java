package com.esii.support.hub.api;

import java.util.List;

/** The JSON body of {@code POST /api/tickets}. Unknown fields are refused, so that a typo is not silently lost. */
public record ApiTicketRequest(
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
        List<Attachment> attachments) {

    /** A file, its content in base64. */
    public record Attachment(String filename, String contentType, String content) {
    }
}
