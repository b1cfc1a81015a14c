package com.esii.support.hub.ticket;

/** A step that cannot apply to the ticket as it stands (e.g. on site done before any intervention was decided). */
public class StepRefusedException extends RuntimeException {
    public StepRefusedException(String message) {
        super(message);
    }
}
