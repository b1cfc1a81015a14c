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

    /**
     * Jira's resolution in the customer's words: JSM's usual resolutions (Done, Won't Do, Duplicate, Declined,
     * Cannot Reproduce…) have a text in each language ({@code resolution_<name>}, empty where "resolved" says it
     * all, as for Done); another name, one the site's admins made up, is shown as they wrote it.
     */
    public String resolution(Language language, String name) {
        if (name == null || name.isBlank()) {
            return "";
        }
        String key = "resolution_" + java.text.Normalizer.normalize(name.strip(), java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}|['’]", "").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
        String words = texts.get(language).get(key);
        return words == null ? name.strip() : words;
    }
}
