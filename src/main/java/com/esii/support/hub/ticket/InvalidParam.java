package com.esii.support.hub.ticket;

/** One bad field of a request, as RFC 9457's "invalid-params" names it. */
public record InvalidParam(String name, String reason) {
}
