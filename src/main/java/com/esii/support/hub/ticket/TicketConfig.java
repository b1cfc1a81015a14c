package com.esii.support.hub.ticket;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The core's settings, read by the ticket core and by the edges alike: where customers reach the hub, the default
 * language, ticket numbers, attachments, the desk, and three settings kept under an edge's name
 * ({@code hub.mail.from}, {@code hub.mail.from-name}, {@code hub.jira.reopen-window}) because the core and several
 * edges read them. The other groups of {@code hub.*} are each held by the package that reads them (the
 * configuration table, docs/configuration.md, says which); it lists each setting with its environment variable: keep
 * the two in step.
 */
@ConfigMapping(prefix = "hub")
public interface TicketConfig {

    /** Address customers use to reach the hub (links in mails point there). */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** Language used when nothing else tells: fr, en or es. */
    @WithDefault("fr")
    String defaultLanguage();

    /** {@link #defaultLanguage()} as a language (French when it names none the hub writes). Not a setting. */
    default Language language() {
        return Language.fromCode(defaultLanguage().toLowerCase(Locale.ROOT)).orElse(Language.FR);
    }

    Ticket ticket();

    Attachments attachments();

    Desk desk();

    /** Address the hub's mails come from (the support mailbox). */
    @WithName("mail.from")
    @WithDefault("support@example.com")
    String mailFrom();

    @WithName("mail.from-name")
    @WithDefault("Support")
    String mailFromName();

    /** A customer's reply within this time after the resolution reopens the request; later, a new ticket. */
    @WithName("jira.reopen-window")
    @WithDefault("7d")
    Duration reopenWindow();

    /** The support desk: its language, and the desk as the web form presents it to customers. */
    interface Desk {
        /**
         * The language staff read (fr, en or es): internal comments and notes in Jira, warning, breach and on-call
         * mails, the staff pages, the dashboard's default. Customers get theirs whatever this says.
         */
        @WithDefault("fr")
        String language();

        /**
         * Opening hours, as {@code <day>[-<day>] HH:MM-HH:MM}, several separated by commas (days as Mon, Tue...); the
         * form writes them out in its language.
         */
        @WithDefault("Mon-Fri 08:00-18:30")
        List<String> hours();

        /** The phone number to call for a blocking problem (from France). */
        @WithDefault("04 999 22 999")
        String urgentPhone();

        /** The same line from abroad; unset: none shown. */
        @WithDefault("+33 4 999 22 808")
        Optional<String> urgentPhoneAbroad();

        /** The form's privacy notice, replacing the built-in one (in every language); unset: the built-in one. */
        Optional<String> privacyNotice();

        /** The address of the full privacy policy, linked from the form; unset: no link. */
        Optional<String> privacyUrl();
    }

    interface Ticket {
        /** Ticket numbers look like {@code <prefix>-<year>-<6 digits>}. */
        @WithDefault("SUP")
        String prefix();

        /** Longest description accepted from the web and the API, in characters. */
        @WithDefault("20000")
        int descriptionMaxLength();
    }

    interface Attachments {
        /** Largest single attachment accepted from the web or the API, in bytes. */
        @WithDefault("10485760")
        long maxSize();

        @WithDefault("10")
        int maxCount();

        /** File extensions refused (executables and scripts). */
        @WithDefault("exe,com,bat,cmd,scr,pif,msi,msp,vbs,vbe,js,jse,wsf,wsh,ps1,psm1,jar,cpl,hta,lnk,reg,dll,sys")
        List<String> refusedExtensions();
    }
}
