package com.esii.support.hub.web;

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

/** The hub's texts in French, English and Spanish ({@code i18n/messages_xx.properties}, UTF-8). */
@ApplicationScoped
public class I18n {

    private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

    public I18n() {
        for (Language l : Language.values()) {
            texts.put(l, load("i18n/messages_" + l.code() + ".properties"));
        }
        Map<String, String> reference = texts.get(Language.FR);
        for (Language l : Language.values()) {
            for (String key : reference.keySet()) {
                if (!texts.get(l).containsKey(key)) {
                    throw new IllegalStateException("Missing text '" + key + "' in " + l.code());
                }
            }
        }
    }

    /** All texts of a language, for templates ({@code {m.key}}). */
    public Map<String, String> texts(Language language) {
        return texts.get(language);
    }

    public String text(Language language, String key) {
        return texts.get(language).getOrDefault(key, key);
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
