package com.esii.support.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.config.ClusterConfig;
import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.demo.DemoConfig;
import com.esii.support.hub.phone.PhoneConfig;

/** Every hub.* setting the code reads is in the configuration table (docs/configuration.md), with its environment variable. */
class ConfigurationDocumentedTest {

    @Test
    void everySettingIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("docs", "configuration.md"));
        List<String> missing = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        collect("hub", HubConfig.class, settings);
        collect("hub.demo", DemoConfig.class, settings);
        collect("hub.cluster", ClusterConfig.class, settings);
        collect("hub.phone", PhoneConfig.class, settings);
        collect("hub.oncall", com.esii.support.hub.oncall.OnCallConfig.class, settings);
        collect("hub.onsite", com.esii.support.hub.onsite.OnSiteConfig.class, settings);
        settings.remove("hub.demo.enabled"); // set by the -Pdemo build, not by an operator
        for (String setting : settings) {
            String env = setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (!readme.contains("| `" + setting + "` | `" + env + "` |")) {
                missing.add(setting + " (" + env + ")");
            }
        }
        assertTrue(missing.isEmpty(), "Not in the configuration table (docs/configuration.md): " + missing);
        assertTrue(settings.size() > 30, "the walk found the settings");
    }

    private static void collect(String prefix, Class<?> mapping, List<String> out) {
        for (Method m : mapping.getDeclaredMethods()) {
            String name = prefix + "." + kebab(m.getName());
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() != null
                    && (type.getEnclosingClass() == mapping || type.getEnclosingClass().getEnclosingClass() == mapping
                            || type.getName().startsWith(HubConfig.class.getName()))) {
                collect(name, type, out);
            } else {
                out.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
