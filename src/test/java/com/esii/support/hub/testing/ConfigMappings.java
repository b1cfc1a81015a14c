package com.esii.support.hub.testing;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.esii.support.hub.ticket.TicketConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The hub's settings as its {@code @ConfigMapping} interfaces read them: each package holds its own (issue 24), so the
 * tests that hold the code to the configuration table (docs/configuration.md) find them all rather than list them.
 */
public final class ConfigMappings {

    private ConfigMappings() {
    }

    /** Every {@code @ConfigMapping} interface among the hub's main classes (those beside {@link TicketConfig}). */
    public static List<Class<?>> all() {
        try {
            Path classes = Path.of(TicketConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<Class<?>> out = new ArrayList<>();
            try (Stream<Path> files = Files.walk(classes.resolve("com/esii/support/hub"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$"))
                        .sorted().toList()) {
                    String name = classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                    Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                            ConfigMappings.class.getClassLoader());
                    if (c.isInterface() && c.isAnnotationPresent(ConfigMapping.class)) {
                        out.add(c);
                    }
                }
            }
            return out;
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings a mapping reads, under its prefix. */
    public static List<String> settings(Class<?> mapping) {
        List<String> out = new ArrayList<>();
        collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, out);
        return out;
    }

    /**
     * Each abstract method is a setting ({@code @WithName}, else its name in kebab case), or a group of them (a nested
     * interface); a default method is derived from them (SmallRye maps none).
     */
    private static void collect(String prefix, Class<?> type, List<String> out) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value()
                    : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            Class<?> r = m.getReturnType();
            if (r.isInterface() && r.getName().startsWith("com.esii.")) {
                collect(name, r, out);
            } else {
                out.add(name);
            }
        }
    }
}
