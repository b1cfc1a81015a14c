package com.esii.support.hub.ticket;

/**
 * What the first customer after a start would otherwise pay, done once at the start by {@link WarmUp} before the
 * replica is ready and its mail channel opens (issue 29): classes loaded and initialised, templates and rule tables
 * built, a sample run through the code a ticket takes. An edge implements it for its own part; a step touches no
 * external system and writes nothing.
 */
public interface WarmUpStep {

    /** What it warms, for the log. */
    String name();

    /** Runs the step once; a failure is logged and the warm-up goes on. */
    void run() throws Exception;
}
