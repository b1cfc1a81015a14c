package com.esii.support.hub.erp;

/** The ERP could not be asked or did not answer in time (network, 5xx, timeout, paused after a failure). */
public class ErpUnavailableException extends RuntimeException {
    public ErpUnavailableException(String message) {
        super(message);
    }

    public ErpUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
