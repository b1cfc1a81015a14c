package com.esii.support.hub.ticket;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.esii.support.hub.util.Texts;

import io.quarkus.runtime.Startup;

/**
 * What the hub writes for support staff, in the desk's language ({@code hub.desk.language}, French by default):
 * internal comments and notes on the JSM request, the phrases that warning, breach and on-call mails and the page
 * acknowledgement page are given (the mails themselves are templates of the edges that send them, chosen by
 * {@link #language()}). Customers' texts follow the customer's language instead, and logs stay English. The texts
 * are in {@code i18n/staff_xx.properties} (UTF-8), with named placeholders ({@code {ticket}}); every key of the French
 * file must be in the others, checked at start, as is the setting (a wrong language stops the start, not the first
 * page).
 */
@Startup
@Singleton
public class StaffTexts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)\\}");
    private static final Map<Language, Map<String, String>> TEXTS = load();

    private final Language language;

    @Inject
    public StaffTexts(TicketConfig config) {
        this(Language.fromCode(config.desk().language()).orElseThrow(() -> new IllegalStateException(
                "hub.desk.language must be fr, en or es, not '" + config.desk().language() + "'")));
    }

    public StaffTexts(Language language) {
        this.language = language;
    }

    /** The desk's language. */
    public Language language() {
        return language;
    }

    public Locale locale() {
        return language.locale();
    }

    /**
     * The text of {@code key} with its placeholders filled from name-value pairs:
     * {@code text("paging.exhausted", "pages", 3)}. A value is put in as it is (a value holding {@code {x}} is not
     * filled in turn).
     */
    public String text(String key, Object... namesAndValues) {
        String t = TEXTS.get(language).get(key);
        if (t == null) {
            throw new IllegalArgumentException("No staff text " + key);
        }
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Placeholders of " + key + " come as name-value pairs");
        }
        return Texts.fill(t, namesAndValues);
    }

    /** A date and time as staff read them (in the zone of {@code at}). */
    public String time(ZonedDateTime at) {
        return DateTimeFormatter.ofPattern(text("time"), locale()).format(at);
    }

    public String kind(Kind k) {
        return k == null ? "?" : text("kind." + k.code());
    }

    public String criticality(Criticality c) {
        return c == null ? "?" : text("criticality." + c.code());
    }

    public String channel(Channel c) {
        return c == null ? "?" : text("channel." + c.name().toLowerCase(Locale.ROOT));
    }

    /** A contract as triage names it ({@link Ticket#MAINTAINED}...); another value as it is. */
    public String contract(String contract) {
        return contract == null ? "?" : TEXTS.get(language).getOrDefault("contract." + contract, contract);
    }

    // The shapes of a contract's reason as the ERP lookup (ContractLookup) and triage write it, in English in the
    // ticket and its history: "access-code 4711 → C0001 (maintained)", "no customer in the ERP for email x, domain
    // y: no maintenance contract", "ERP unavailable: …; deadlines held as for a maintained customer until …".
    private static final Pattern HELD = Pattern.compile("(.*); deadlines held as for a maintained customer until the"
            + " ERP answers", Pattern.DOTALL);
    private static final Pattern NO_CONTRACT = Pattern.compile("(.*): no maintenance contract", Pattern.DOTALL);
    private static final Pattern MAINTAINED = Pattern.compile("(.*) \\((?:not )?maintained\\)", Pattern.DOTALL);
    private static final Pattern FOUND = Pattern.compile("(access-code|email|domain|phone) (.+) → (\\S+)");
    private static final Pattern KEY = Pattern.compile("(access-code|email|domain|phone) (.+)");
    private static final Pattern NO_CUSTOMER = Pattern.compile("no customer in the ERP for (.+)");
    private static final Pattern ERP = Pattern.compile("ERP (unavailable|refused): (.*)", Pattern.DOTALL);

    /**
     * How triage found the contract ({@code Ticket.Triage#contractReason}, English in the ticket) in the desk's
     * language: "code d'accès 4711 → client C0001". What is not one of the hub's own shapes (an ERP's own message
     * inside) is put in as it is.
     */
    public String contractReason(String reason) {
        if (reason == null) {
            return "?";
        }
        String r = reason.strip();
        Matcher m = HELD.matcher(r);
        if (m.matches()) {
            return text("reason.held", "reason", lookup(m.group(1)));
        }
        m = NO_CONTRACT.matcher(r);
        if (m.matches()) {
            return text("reason.no-contract", "reason", lookup(m.group(1)));
        }
        m = MAINTAINED.matcher(r);
        // the contract itself is written beside the reason ("Contrat : sous maintenance (…)")
        return lookup(m.matches() ? m.group(1) : r);
    }

    private String lookup(String r) {
        Matcher m = FOUND.matcher(r);
        if (m.matches()) {
            return text("reason.found", "by", text("reason." + m.group(1), "value", m.group(2)), "customer",
                    m.group(3));
        }
        m = NO_CUSTOMER.matcher(r);
        if (m.matches()) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            for (String k : m.group(1).split(", ")) {
                Matcher km = KEY.matcher(k);
                keys.add(km.matches() ? text("reason." + km.group(1), "value", km.group(2)) : k);
            }
            return text("reason.no-customer", "keys", String.join(", ", keys));
        }
        if (r.equals("nothing to identify the customer by")) {
            return text("reason.nothing");
        }
        if (r.equals("no ERP configured")) {
            return text("reason.no-erp");
        }
        m = ERP.matcher(r);
        if (m.matches()) {
            return m.group(1).equals("refused") ? text("reason.erp-refused", "error", m.group(2))
                    : text("reason.erp-unavailable", "error", m.group(2));
        }
        return r;
    }

    /** Every text of a language, as its file says (for the check that the three files match). */
    public static Map<String, String> texts(Language language) {
        return TEXTS.get(language);
    }

    /** The placeholders a text names. */
    public static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Map<Language, Map<String, String>> load() {
        Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);
        for (Language l : Language.values()) {
            texts.put(l, Texts.load("i18n/staff_" + l.code() + ".properties"));
        }
        for (Language l : Language.values()) {
            for (String key : texts.get(Language.FR).keySet()) {
                if (!texts.get(l).containsKey(key)) {
                    throw new IllegalStateException("Missing staff text '" + key + "' in " + l.code());
                }
            }
        }
        return texts;
    }
}
