package com.esii.support.hub.demo;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.esii.support.hub.config.HubConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The demo run's embedded systems: GreenMail (SMTP and IMAP; every address receives mail and logs in with its
 * address as password) and WireMock serving mocks/ in place of Jira, JSM and the ERP. Only in a -Pdemo build.
 */
@ApplicationScoped
@IfBuildProperty(name = "hub.demo.enabled", stringValue = "true")
public class DemoServices {

    private static final Logger LOG = Logger.getLogger(DemoServices.class);

    private final HubConfig config;
    private final DemoConfig demo;
    private final int httpPort;
    private final String jdbcUrl;
    private GreenMail mail;
    private WireMockServer mocks;

    public DemoServices(HubConfig config, DemoConfig demo, @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.config = config;
        this.demo = demo;
        this.httpPort = httpPort;
        this.jdbcUrl = jdbcUrl;
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        String support = config.mail().from();
        mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(demo.smtpPort(), "localhost", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(demo.imapPort(), "localhost", ServerSetup.PROTOCOL_IMAP) })
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(support, support, support));
        mail.start();
        mocks = new WireMockServer(WireMockConfiguration.options().port(demo.wiremockPort())
                .usingFilesUnderClasspath("mocks"));
        mocks.start();
        LOG.infof("%n"
                + "  Support hub demo is running%n"
                + "  Web form          http://localhost:%d/%n"
                + "  Ticket API        http://localhost:%d/api/tickets   (OpenAPI: http://localhost:%d/q/openapi)%n"
                + "  Health, metrics   http://localhost:%d/q/health   http://localhost:%d/q/metrics%n"
                + "  Mail (GreenMail)  SMTP localhost:%d, IMAP localhost:%d; support mailbox %s;%n"
                + "                    any address receives mail, IMAP login and password = the address%n"
                + "  Jira, JSM, ERP    simulated by WireMock on http://localhost:%d/ (mappings in mocks/)%n"
                + "  Database          %s",
                httpPort, httpPort, httpPort, httpPort, httpPort, demo.smtpPort(), demo.imapPort(), support,
                demo.wiremockPort(), jdbcUrl);
    }

    void stop(@Observes ShutdownEvent event) {
        if (mocks != null) {
            mocks.stop();
        }
        if (mail != null) {
            mail.stop();
        }
    }
}
