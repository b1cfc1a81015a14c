package com.esii.support.hub.erp;

/** The ERP answered, and said no: a 4xx other than 401, or {@code "error" != 0} with its {@code txterr}. */
public class ErpRefusedException extends RuntimeException {
    public ErpRefusedException(String message) {
        super(message);
    }
}
