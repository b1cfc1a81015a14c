package com.esii.support.hub.demo;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * The demo's secrets, made up at start so that everything works at once: the admin password (printed in the banner),
 * the Jira webhook secret (shared with the in-process simulator, which signs its webhooks with it) and the key of the
 * pages' acknowledgement links. A config source below the environment (ordinal {@value #ORDINAL}; environment
 * variables are 300), so {@code HUB_ADMIN_PASSWORD}, {@code HUB_JIRA_WEBHOOK_SECRET} and {@code HUB_ONCALL_LINK_KEY}
 * still choose them. Only when {@code hub.demo.enabled} is true (a -Pdemo build; registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory} of src/demo/resources, which the tests also see).
 * Generated once per run: every configuration built in this JVM gets the same values.
 */
public class DemoSecrets implements ConfigSourceFactory {

    static final int ORDINAL = 255;
    public static final String ADMIN_PASSWORD = "hub.admin.password";
    static final List<String> NAMES = List.of(ADMIN_PASSWORD, "hub.jira.webhook-secret", "hub.oncall.link-key");

    private static final Map<String, String> VALUES = generate();

    private static Map<String, String> generate() {
        SecureRandom random = new SecureRandom();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            byte[] bytes = new byte[name.equals(ADMIN_PASSWORD) ? 12 : 32];
            random.nextBytes(bytes);
            out.put(name, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        return Map.copyOf(out);
    }

    /** The value made up for {@code name} in this run (used only where no other source sets {@code name}). */
    public static String generated(String name) {
        return VALUES.get(name);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue enabled = context.getValue("hub.demo.enabled");
        if (enabled == null || !"true".equalsIgnoreCase(enabled.getValue())) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(VALUES, "demo secrets generated at start", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
