package com.esii.support.hub.oncall;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.sla.Calendars;

/** The rota as it stands in the database, on the desk's calendar (read afresh each time: the tables are small). */
@ApplicationScoped
public class OnCallDuty {

    private final RotaStore store;
    private final Calendars calendars;
    private final OnCallConfig config;

    public OnCallDuty(RotaStore store, Calendars calendars, OnCallConfig config) {
        this.store = store;
        this.calendars = calendars;
        this.config = config;
        // Fail at start, not at the first page, on a malformed handover.
        new OnCallRota(calendars.desk(), config.handover(), java.util.List.of(), java.util.List.of());
    }

    public OnCallRota rota() {
        return new OnCallRota(calendars.desk(), config.handover(), store.rotations(), store.overrides());
    }

    /** Whether the desk is closed at that instant (someone on call may be needed). */
    public boolean deskClosed(Instant t) {
        return !calendars.desk().isOpen(t);
    }

    public Optional<RotaStore.Technician> technician(String code) {
        return code == null ? Optional.empty() : store.technician(code);
    }
}
