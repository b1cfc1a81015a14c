package com.esii.support.hub.stats;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.util.Texts;

/**
 * The dashboard's texts in French, English and Spanish ({@code i18n/dashboard_xx.properties}, UTF-8); every key of
 * the French file must be in the others, checked at start.
 */
@ApplicationScoped
public class DashboardTexts {

    private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

    public DashboardTexts() {
        for (Language l : Language.values()) {
            texts.put(l, Texts.load("i18n/dashboard_" + l.code() + ".properties"));
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
}
