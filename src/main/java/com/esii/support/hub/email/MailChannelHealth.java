package com.esii.support.hub.email;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.mailkit.MailLogin;

import io.smallrye.health.api.HealthGroup;
import io.smallrye.health.api.Wellness;

/**
 * The email channel's state, at {@code /q/health/group/mail} and {@code /q/health/well}. Deliberately not a
 * readiness check: with the mail server down the web form and the API still work, so the replica stays in service.
 */
@ApplicationScoped
@Wellness
@HealthGroup("mail")
public class MailChannelHealth implements HealthCheck {

    private final Mailbox mailbox;
    private final MailboxWatch watch;
    private final Leases leases;
    private final MailLogin login;

    public MailChannelHealth(Mailbox mailbox, MailboxWatch watch, Leases leases, MailLogin login) {
        this.mailbox = mailbox;
        this.watch = watch;
        this.leases = leases;
        this.login = login;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("mail channel")
                .withData("mailbox", mailbox.name())
                .withData("enabled", mailbox.enabled());
        if (mailbox.lastPoll() != null) {
            b.withData("lastPoll", mailbox.lastPoll().toString());
        }
        if (login.oauth2()) {
            b.withData("auth", "oauth2");
            var problem = login.problem();
            if (problem.isPresent()) {
                // every replica sends mail with the token: a refused one is this replica's problem too
                return b.withData("credentials", problem.get()).down().build();
            }
            b.withData("credentials", "ok");
        }
        if (!mailbox.enabled()) {
            return b.up().build();
        }
        if (!leases.holds(Mailbox.LEADER_LEASE)) {
            // Another replica reads the mailbox; this one takes over if that one stops.
            return b.withData("role", "standby").up().build();
        }
        b.withData("role", "leader").withData("wait", watch.mode());
        if (mailbox.lastError() != null) {
            b.withData("error", mailbox.lastError());
        }
        String spool = mailbox.spoolProblem();
        if (spool != null) {
            // mail over the size cap waits in the mailbox until the spool can be written again
            b.withData("spool", spool);
        }
        return mailbox.up() && spool == null ? b.up().build() : b.down().build();
    }
}
