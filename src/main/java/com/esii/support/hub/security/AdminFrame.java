package com.esii.support.hub.security;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StaffTexts;

import io.quarkus.qute.TemplateData;

/**
 * The frame of one admin page ({@code templates/admin/layout.html}): its section of the menu, its language, staff's
 * texts in it and how times are written. The language is {@code explicit} when the address asked for it
 * ({@code ?lang=}); it then goes along in the links the page makes ({@link #href}). Made by {@link AdminPages}.
 */
@TemplateData
public record AdminFrame(String section, Language language, boolean explicit, ZoneId zone, List<Link> menu,
        List<Link> languages) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** A link of the menu or of the language switch. */
    @TemplateData
    public record Link(String id, String href, String text, boolean current) {
    }

    /** Which page of a long list this is, and the addresses of the pages before and after (null: none). */
    @TemplateData
    public record Pager(int number, String previous, String next) {

        public boolean several() {
            return previous != null || next != null;
        }
    }

    public String lang() {
        return language.code();
    }

    /** Staff's texts in the page's language (kinds, criticalities, channels, contracts and their reasons). */
    public StaffTexts staff() {
        return new StaffTexts(language);
    }

    /** The text of {@code key} in the page's language; an unknown key fails the page (a test sees it). */
    public String text(String key) {
        return new StaffTexts(language).text(key);
    }

    /** The text of {@code key} with its placeholder {@code name} filled. */
    public String text(String key, String name, Object value) {
        return new StaffTexts(language).text(key, name, value);
    }

    /** The text of {@code key} with two placeholders filled. */
    public String text(String key, String name, Object value, String name2, Object value2) {
        return new StaffTexts(language).text(key, name, value, name2, value2);
    }

    /** A time as the pages write it, in the desk's zone: 2026-03-16 08:00. */
    public String time(OffsetDateTime t) {
        return t == null ? "" : TIME.format(t.atZoneSameInstant(zone));
    }

    /** A time for {@code <time datetime>}, in the desk's zone. */
    public String iso(OffsetDateTime t) {
        return t == null ? "" : t.atZoneSameInstant(zone).toOffsetDateTime().toString();
    }

    /** An address of the admin pages, with the page's language when the address asked for one. */
    public String href(String pathAndQuery) {
        return href(explicit ? language : null, pathAndQuery);
    }

    static String href(Language asked, String pathAndQuery) {
        if (asked == null) {
            return pathAndQuery;
        }
        return pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "lang=" + asked.code();
    }
}
