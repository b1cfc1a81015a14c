package com.esii.support.hub.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.Language;

/**
 * The dashboard's texts in French, English and Spanish ({@code i18n/dashboard_xx.properties}, UTF-8); every key of
 * the French file must be in the others, checked at start.
 */
@ApplicationScoped
public class DashboardTexts {

    private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

    public DashboardTexts() {
        for (Language l : Language.values()) {
            texts.put(l, load("i18n/dashboard_" + l.code() + ".properties"));
        }
        for (Language l : Language.values()) {
            for (String key : texts.get(Language.FR).keySet()) {
                if (!texts.get(l).containsKey(key)) {
                    throw new IllegalStateException("Missing dashboard text '" + key + "' in " + l.code());
                }
            }
        }
    }

    public Map<String, String> texts(Language language) {
        return texts.get(language);
    }

    public String text(Language language, String key) {
        String t = texts.get(language).get(key);
        if (t == null) {
            throw new IllegalArgumentException("No dashboard text " + key);
        }
        return t;
    }

    private static Map<String, String> load(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + path);
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new HashMap<>();
            p.forEach((k, v) -> m.put((String) k, (String) v));
            return Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
