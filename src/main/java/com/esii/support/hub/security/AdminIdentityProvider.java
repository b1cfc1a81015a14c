package com.esii.support.hub.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.esii.support.hub.util.Hashes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;

/**
 * The admin user for the admin API (HTTP Basic): name from {@code hub.admin.username}, password from the
 * environment only ({@code HUB_ADMIN_PASSWORD}). Without a password nobody is admin. A failed login counts against
 * the client's address ({@link AdminLoginThrottle}).
 */
@ApplicationScoped
public class AdminIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(AdminIdentityProvider.class);
    public static final String ROLE = "admin";

    private final String username;
    private final Optional<String> password;
    private final AdminLoginThrottle throttle;

    public AdminIdentityProvider(SecurityConfig config, AdminLoginThrottle throttle) {
        this.username = config.admin().username();
        this.password = config.admin().password().filter(p -> !p.isBlank());
        this.throttle = throttle;
    }

    void warn(@jakarta.enterprise.event.Observes StartupEvent event) {
        if (password.isEmpty()) {
            LOG.warn("HUB_ADMIN_PASSWORD is not set: the admin API refuses every request");
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String given = new String(request.getPassword().getPassword());
        boolean ok = password.isPresent()
                & Hashes.constantTimeEquals(username, request.getUsername())
                & Hashes.constantTimeEquals(password.orElse(""), given);
        if (!ok) {
            // Counted against the client's address (AdminLoginThrottle), and logged with it.
            throttle.failed(HttpSecurityUtils.getRoutingContextAttribute(request));
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(username))
                .addRole(ROLE)
                .build());
    }
}
