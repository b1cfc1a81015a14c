package com.esii.support.hub.api;

import java.util.List;

import com.esii.support.hub.ticket.InvalidParam;

/** A request body that is not the JSON the API expects. */
public class MalformedRequestException extends RuntimeException {
    private final List<InvalidParam> params;

    public MalformedRequestException(String detail, List<InvalidParam> params) {
        super(detail);
        this.params = params;
    }

    public List<InvalidParam> params() {
        return params;
    }
}
