package com.esii.support.hub.oncall;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;


import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.util.Hashes;

/**
 * The acknowledgement link of a page: {@code <public-url>/oncall/ack/<number>?page=<n>&sig=<HMAC-SHA256>} signed with
 * {@code hub.oncall.link-key}, so that only someone who received the page can acknowledge it. Without a key, pages
 * carry no link (they are acknowledged by taking the ticket in charge in Jira).
 */
@ApplicationScoped
public class AckLinks {

    private final Optional<byte[]> key;
    private final String base;

    public AckLinks(OnCallConfig config, TicketConfig core) {
        this.key = config.linkKey().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
        String url = core.publicUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Optional<String> link(String number, int page) {
        return key.map(k -> base + "/oncall/ack/" + number + "?page=" + page + "&sig=" + sign(k, number, page));
    }

    public boolean valid(String number, int page, String sig) {
        return key.isPresent() && sig != null && Hashes.constantTimeEquals(sign(key.get(), number, page), sig.strip());
    }

    private static String sign(byte[] key, String number, int page) {
        byte[] sig = Hashes.hmacSha256(key, ("oncall-ack:" + number + ":" + page).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }
}
