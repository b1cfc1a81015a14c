package com.esii.support.hub.testing.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.esii.support.hub.testing.sim.SimHttp.Request;
import com.esii.support.hub.testing.sim.SimHttp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulated Divalto Infinity: {@code /api/v1/Authent/Auth} gives tokens that expire, {@code /api/v1/WebService/Execute}
 * runs three Diva actions (names as the hub's defaults):
 * <ul>
 * <li>{@code HUB_CONTRAT_SUPPORT}, param {@code {"by": "access-code"|"email"|"domain"|"phone", "value": "…"}}: the
 * customer and contract, {@code {"found": true, "customer": "C0001", …}} or {@code {"found": false}};</li>
 * <li>{@code HUB_ACTIVITE_SUPPORT}, param the activity record with its idempotency {@code key}: stored once per
 * key, every reception counted; answers {@code {"recorded": true, "key": …, "duplicate": false|true}};</li>
 * <li>{@code HUB_ACTIVITE_LIRE}, param {@code {"key": "…"}}: {@code {"found": true, "key", "activity", "ticket",
 * "receivedAt"}} or {@code {"found": false}}.</li>
 * </ul>
 * A Diva error is HTTP 200 with {@code "error" ≠ 0} and {@code txterr}, as the platform answers.
 */
final class ErpSim {

    record Customer(String code, String name, boolean maintained, boolean onCall, boolean hosted, String calendar,
            Set<String> accessCodes, Set<String> domains, Set<String> emails, Set<String> phones, Site site) {

        Customer(String code, String name, boolean maintained, boolean onCall, boolean hosted, String calendar,
                Set<String> accessCodes, Set<String> domains, Set<String> emails, Set<String> phones) {
            this(code, name, maintained, onCall, hosted, calendar, accessCodes, domains, emails, phones, null);
        }

        Customer withSite(Site s) {
            return new Customer(code, name, maintained, onCall, hosted, calendar, accessCodes, domains, emails, phones, s);
        }
    }

    /** The customer's site as the contract service gives it, with its on-site contact. */
    record Site(String address, String postcode, String town, String country, String contactName, String contactPhone,
            String contactEmail) {
    }

    static final class Rec {
        final long seq;
        final String key;
        final String action;
        final JsonNode param;
        final Instant firstAt;
        int received = 1;

        Rec(long seq, String key, String action, JsonNode param, Instant firstAt) {
            this.seq = seq;
            this.key = key;
            this.action = action;
            this.param = param;
            this.firstAt = firstAt;
        }
    }

    final Clock clock;
    final Map<String, Customer> customers = new LinkedHashMap<>();
    final Map<String, Rec> records = new LinkedHashMap<>();
    final List<String> arrivals = new ArrayList<>();
    final Map<String, Instant> tokens = new LinkedHashMap<>();
    final Set<String> recordActions = new LinkedHashSet<>(Set.of("HUB_ACTIVITE_SUPPORT"));
    volatile String contractAction = "HUB_CONTRAT_SUPPORT";
    volatile String lookupAction = "HUB_ACTIVITE_LIRE";
    volatile String keyField = "key";
    volatile String user;
    volatile String password;
    volatile Duration tokenLifetime = Duration.ofMinutes(45);
    private long seq;

    ErpSim(Clock clock) {
        this.clock = clock;
        defaults();
    }

    /** The customers of mocks/README.md. */
    void defaults() {
        customers.clear();
        customers.put("C0001", new Customer("C0001", "Clinique Saint-Roch", true, true, false, "", Set.of("4711-2026"),
                Set.of("clinique-saint-roch.fr"), Set.of(), Set.of(), new Site("560 avenue du Colonel André Pavelet",
                        "34000", "Montpellier", "FR", "Claire Roux", "+33 4 67 00 00 11", "accueil@clinique-saint-roch.fr")));
        customers.put("C0002", new Customer("C0002", "Logistique Durand", true, false, true, "", Set.of(),
                Set.of("logistique-durand.fr"), Set.of(), Set.of("0499000001"), new Site("12 rue des Entrepôts",
                        "35500", "Vitré", "FR", "Paul Durand", "+33 2 99 00 00 22", "paul@logistique-durand.fr")));
        customers.put("C0003", new Customer("C0003", "Atelier Martin", false, false, false, "", Set.of("NM-0003"),
                Set.of("atelier-martin.fr"), Set.of(), Set.of(), new Site("3 impasse des Tisserands", "31000",
                        "Toulouse", "FR", "Luc Martin", "+33 5 61 00 00 33", "luc@atelier-martin.fr")));
    }

    void reset() {
        defaults();
        records.clear();
        arrivals.clear();
        tokens.clear();
        tokenLifetime = Duration.ofMinutes(45);
    }

    /** Whether this request writes (a record action). */
    boolean write(Request r) {
        if (!r.path().endsWith("/WebService/Execute")) {
            return false;
        }
        String action = Json.read(r.text()).path("action").asText("");
        return recordActions.contains(action);
    }

    Response handle(Request r) {
        if (!r.method().equals("POST")) {
            return null;
        }
        if (r.path().equals("/api/v1/Authent/Auth")) {
            JsonNode b = Json.read(r.text());
            if (user != null && (!user.equals(b.path("user").asText()) || !password.equals(b.path("password").asText()))) {
                return Response.json(401, "{\"error\":1,\"access_token\":\"\",\"txterr\":\"Utilisateur ou mot de passe"
                        + " incorrect\",\"infos\":\"\"}");
            }
            String token = "sim-" + UUID.randomUUID();
            tokens.put(token, clock.instant().plus(tokenLifetime));
            return Response.json(200, "{\"error\":0,\"access_token\":\"" + token + "\",\"txterr\":\"\",\"infos\":\"\"}");
        }
        if (!r.path().equals("/api/v1/WebService/Execute")) {
            return null;
        }
        JsonNode b = Json.read(r.text());
        String token = b.path("access_token").asText(null);
        String bearer = r.header("Authorization");
        if (token == null && bearer != null && bearer.startsWith("Bearer ")) {
            token = bearer.substring(7).strip();
        }
        Instant expires = token == null ? null : tokens.get(token);
        if (expires == null || !clock.instant().isBefore(expires)) {
            return Response.json(401, "{\"error\":401,\"txterr\":\"Jeton invalide ou expiré\",\"result\":\"\",\"infos\":\"\"}");
        }
        String action = b.path("action").asText("");
        JsonNode param;
        try {
            JsonNode p = b.path("param");
            param = p.isTextual() ? Json.read(p.asText()) : p;
        } catch (IllegalArgumentException e) {
            return diva(10, "Paramètre illisible : " + e.getMessage(), null);
        }
        if (action.equals(contractAction)) {
            return diva(0, "", contract(param.path("by").asText(""), param.path("value").asText("")));
        }
        if (recordActions.contains(action)) {
            String key = param.path(keyField).asText("").strip();
            if (key.isEmpty()) {
                return diva(11, "Clé d'idempotence absente (" + keyField + ")", null);
            }
            Rec existing = records.get(key);
            arrivals.add(key);
            if (existing != null) {
                existing.received++;
                return diva(0, "", Json.F.objectNode().put("recorded", true).put("key", key).put("duplicate", true));
            }
            records.put(key, new Rec(++seq, key, action, param, clock.instant()));
            return diva(0, "", Json.F.objectNode().put("recorded", true).put("key", key).put("duplicate", false));
        }
        if (action.equals(lookupAction)) {
            Rec rec = records.get(param.path(keyField).asText(""));
            if (rec == null) {
                return diva(0, "", Json.F.objectNode().put("found", false));
            }
            return diva(0, "", Json.F.objectNode().put("found", true).put("key", rec.key)
                    .put("activity", rec.param.path("activity").asText(null)).put("ticket", rec.param.path("ticket").asText(null))
                    .put("receivedAt", rec.firstAt.toString()));
        }
        return diva(3, "Action inconnue : " + action, null);
    }

    private static Response diva(int error, String text, ObjectNode result) {
        ObjectNode n = Json.F.objectNode().put("error", error).put("txterr", text)
                .put("result", result == null ? "" : Json.write(result)).put("infos", "");
        return Response.json(200, Json.write(n));
    }

    private ObjectNode contract(String by, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Customer c : customers.values()) {
            boolean match = switch (by) {
                case "access-code" -> c.accessCodes().stream().anyMatch(a -> a.equalsIgnoreCase(v));
                case "email" -> c.emails().stream().anyMatch(a -> a.equalsIgnoreCase(v));
                case "domain" -> c.domains().stream().anyMatch(a -> a.equalsIgnoreCase(v));
                case "phone" -> c.phones().contains(phone(v));
                default -> false;
            };
            if (match) {
                ObjectNode n = Json.F.objectNode().put("found", true).put("customer", c.code()).put("name", c.name())
                        .put("maintained", c.maintained()).put("onCall", c.onCall()).put("hosted", c.hosted())
                        .put("calendar", c.calendar());
                if (c.site() != null) {
                    Site s = c.site();
                    n.putObject("site").put("address", s.address()).put("postcode", s.postcode()).put("town", s.town())
                            .put("country", s.country());
                    n.putObject("contact").put("name", s.contactName()).put("phone", s.contactPhone())
                            .put("email", s.contactEmail());
                }
                return n;
            }
        }
        return Json.F.objectNode().put("found", false);
    }

    /** A French number in its national form: +33 4…, 0033 4…, 04… all become 04…. */
    static String phone(String raw) {
        String d = raw.replaceAll("[^0-9+]", "");
        if (d.startsWith("+33")) {
            d = "0" + d.substring(3);
        } else if (d.startsWith("0033")) {
            d = "0" + d.substring(4);
        }
        return d;
    }
}
