package com.esii.support.hub.erp;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.WarmUpStep;

/**
 * The ERP's part of the start's warm-up: its HTTP client built (the JDK's client and its TLS context: the first mail
 * of a start waited for them before asking who its sender is). The ERP is not asked.
 */
@ApplicationScoped
public class ErpWarmUp implements WarmUpStep {

    private final ErpClient erp;

    public ErpWarmUp(ErpClient erp) {
        this.erp = erp;
    }

    @Override
    public String name() {
        return "ERP client";
    }

    @Override
    public void run() {
        erp.configured(); // the first call on the bean builds it
    }
}
