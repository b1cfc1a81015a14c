package com.esii.support.hub.ticket;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Texts;

/** The hub's texts in French, English and Spanish ({@code i18n/messages_xx.properties}, UTF-8). */
@ApplicationScoped
public class CustomerTexts {

    private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

    public CustomerTexts() {
        for (Language l : Language.values()) {
            texts.put(l, Texts.load("i18n/messages_" + l.code() + ".properties"));
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
}
