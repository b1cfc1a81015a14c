package com.esii.support.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.demo.DemoConfig;
import com.esii.support.hub.testing.ConfigMappings;

/**
 * Every hub.* setting the code reads is in the configuration table (docs/configuration.md), with its environment
 * variable: the settings of every {@code @ConfigMapping} of the hub (each package holds its own), and the demo's.
 */
class ConfigurationDocumentedTest {

    @Test
    void everySettingIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("docs", "configuration.md"));
        List<String> missing = new ArrayList<>();
        Set<String> settings = new LinkedHashSet<>();
        for (Class<?> mapping : ConfigMappings.all()) {
            settings.addAll(ConfigMappings.settings(mapping));
        }
        settings.addAll(ConfigMappings.settings(DemoConfig.class)); // a test class unless built with -Pdemo
        settings.remove("hub.demo.enabled"); // set by the -Pdemo build, not by an operator
        for (String setting : settings) {
            String env = setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (!readme.contains("| `" + setting + "` | `" + env + "` |")) {
                missing.add(setting + " (" + env + ")");
            }
        }
        assertTrue(missing.isEmpty(), "Not in the configuration table (docs/configuration.md): " + missing);
        assertTrue(settings.size() > 30, "the walk found the settings");
        for (String known : List.of("hub.public-url", "hub.mail.from", "hub.jira.reopen-window", "hub.jira.url",
                "hub.mail.imap.host", "hub.erp.record-fields", "hub.sla.calendars", "hub.cluster.leader-lease",
                "hub.phone.port", "hub.oncall.handover", "hub.onsite.road-speed", "hub.demo.smtp-port")) {
            assertTrue(settings.contains(known), "the walk found " + known + " (each package's mapping)");
        }
    }
}
