package com.esii.support.hub.testing.sim;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The staff console of the demo ({@code GET /__sim/console}): the JSM requests and R&D bugs as the simulated Jira
 * holds them, and HTML forms that post to the control API ({@code POST /__sim/staff}) what staff would do in Jira:
 * answer the customer or write an internal note, move the status, escalate to R&D, post a workaround, release a fix
 * version, resolve. Each changes the issue and sends the hub the signed webhook Jira would send; the answer is a 303
 * back to the console, which says what the hub answered. No script, nothing loaded from elsewhere.
 */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.of("Europe/Paris"));

    private final Simulator sim;
    private volatile String escalationLabel = "escalate-n2";

    Console(Simulator sim) {
        this.sim = sim;
    }

    void escalationLabel(String label) {
        this.escalationLabel = label;
    }

    /** An HTML form's body ({@code application/x-www-form-urlencoded}). */
    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Where a form's POST sends the browser back to: the console, saying what happened, at the issue. */
    static String back(String message, String key) {
        return "/__sim/console?done=" + URLEncoder.encode(message, StandardCharsets.UTF_8)
                + (key == null ? "" : "#" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    String page(String done) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Staff console (simulated Jira)</title><style>").append(STYLE).append("</style></head><body>\n");
        h.append("<header><h1>Staff console</h1><p>Jira Service Management (project SD) and Jira R&amp;D (project DEV)"
                + " as the simulated Jira holds them. Each button does what staff would do in Jira and sends the hub the"
                + " signed webhook Jira would send. <a href=\"/__sim/console\">Refresh</a></p>");
        if (done != null && !done.isBlank()) {
            h.append("<p class=\"done\" role=\"status\">").append(esc(done)).append("</p>");
        }
        h.append("</header>\n<main>\n");

        List<Simulator.JsmRequest> requests = new ArrayList<>(sim.requests());
        java.util.Collections.reverse(requests);
        List<Simulator.IssueLink> links = sim.links();
        h.append("<section><h2>JSM requests (").append(requests.size()).append(")</h2>\n");
        if (requests.isEmpty()) {
            h.append("<p>None yet: open a ticket (web form, API or mail) and the hub raises its request here.</p>");
        }
        for (Simulator.JsmRequest r : requests) {
            h.append("<article id=\"").append(esc(r.key())).append("\"><h3>").append(esc(r.key())).append(' ')
                    .append(esc(r.summary())).append("</h3>\n<p class=\"meta\">Status <strong>").append(esc(r.status()))
                    .append("</strong>").append(r.resolution() == null ? "" : " (" + esc(r.resolution()) + ")")
                    .append(" · customer ").append(esc(r.reporterEmail()))
                    .append(" · labels ").append(r.labels().isEmpty() ? "none" : esc(String.join(", ", r.labels())));
            List<String> linked = linked(links, r.key());
            if (!linked.isEmpty()) {
                h.append(" · linked ").append(esc(String.join(", ", linked)));
            }
            h.append("</p>\n");
            if (r.description() != null && !r.description().isBlank()) {
                h.append("<details><summary>Description</summary><div class=\"body\">").append(esc(r.description()))
                        .append("</div></details>\n");
            }
            comments(h, r.key());
            h.append("<div class=\"actions\">");
            h.append(form("comment", r.key(), "<label>Comment<textarea name=\"text\" rows=\"3\" required></textarea></label>"
                    + "<button name=\"public\" value=\"true\">Reply to the customer</button>"
                    + "<button name=\"public\" value=\"false\">Internal note</button>"));
            h.append(form("status", r.key(), "<button name=\"status\" value=\"In Progress\">In progress</button>"
                    + "<button name=\"status\" value=\"Waiting for customer\">Waiting for customer</button>"));
            h.append(form("resolve", r.key(), "<label>Resolution<input name=\"resolution\" value=\"Done\"></label>"
                    + "<button>Resolve</button>"));
            h.append(form("label", r.key(), "<input type=\"hidden\" name=\"label\" value=\"" + esc(escalationLabel)
                    + "\"><button>Escalate to R&amp;D (label " + esc(escalationLabel) + ")</button>"));
            h.append(form("worklog", r.key(), "<label>Minutes<input name=\"minutes\" value=\"30\" size=\"4\"></label>"
                    + "<button>Log work</button>"));
            h.append("</div></article>\n");
        }
        h.append("</section>\n");

        List<Simulator.JiraIssue> bugs = new ArrayList<>(sim.bugs());
        java.util.Collections.reverse(bugs);
        h.append("<section><h2>R&amp;D bugs (").append(bugs.size()).append(")</h2>\n");
        if (bugs.isEmpty()) {
            h.append("<p>None yet: escalate a request to R&amp;D and the hub opens its bug here.</p>");
        }
        for (Simulator.JiraIssue b : bugs) {
            h.append("<article id=\"").append(esc(b.key())).append("\"><h3>").append(esc(b.key())).append(' ')
                    .append(esc(b.summary())).append("</h3>\n<p class=\"meta\">Status <strong>").append(esc(b.status()))
                    .append("</strong> · labels ").append(b.labels().isEmpty() ? "none" : esc(String.join(", ", b.labels())))
                    .append(" · fix versions ").append(b.fixVersions().isEmpty() ? "none" : esc(String.join(", ", b.fixVersions())));
            List<String> linked = linked(links, b.key());
            if (!linked.isEmpty()) {
                h.append(" · linked ").append(esc(String.join(", ", linked)));
            }
            h.append("</p>\n");
            if (b.description() != null && !b.description().isBlank()) {
                h.append("<details><summary>Description</summary><div class=\"body\">").append(esc(b.description()))
                        .append("</div></details>\n");
            }
            comments(h, b.key());
            h.append("<div class=\"actions\">");
            h.append(form("comment", b.key(), "<input type=\"hidden\" name=\"public\" value=\"true\">"
                    + "<label>Workaround (a bug comment starting \"Workaround:\")<textarea name=\"text\" rows=\"3\" required>"
                    + "Workaround: </textarea></label><button>Post the workaround</button>"));
            h.append(form("releaseFix", b.key(), "<label>Version<input name=\"version\" value=\"2.4.1\" size=\"8\" required>"
                    + "</label><button>Set as fix version and release it</button>"));
            h.append(form("resolve", b.key(), "<input type=\"hidden\" name=\"resolution\" value=\"Fixed\">"
                    + "<button>Resolve the bug (Done, Fixed)</button>"));
            h.append("</div></article>\n");
        }
        h.append("</section>\n");

        h.append("<section><h2>A customer on the JSM portal</h2>\n");
        h.append(form("portal", null, "<label>Email<input name=\"email\" type=\"email\" value=\"lea@clinique-saint-roch.fr\" required></label>"
                + "<label>Name<input name=\"name\" value=\"Léa Roux\"></label>"
                + "<label>Summary<input name=\"summary\" value=\"Scanner not detected\" required></label>"
                + "<label>Description<textarea name=\"description\" rows=\"2\">The scanner is no longer detected since the update.</textarea></label>"
                + "<button>Open a request on the portal</button>"));
        h.append("</section>\n</main></body></html>\n");
        return h.toString();
    }

    private void comments(StringBuilder h, String key) {
        List<Simulator.JiraComment> comments = sim.comments(key);
        if (comments.isEmpty()) {
            h.append("<p class=\"none\">No comment.</p>\n");
            return;
        }
        h.append("<ol class=\"comments\">");
        for (Simulator.JiraComment c : comments) {
            h.append("<li class=\"").append(c.isPublic() ? "public" : "internal").append("\"><span class=\"who\">")
                    .append(esc(c.authorEmail())).append(" · ").append(c.isPublic() ? "public" : "internal").append(" · ")
                    .append(TIME.format(c.created())).append("</span><div class=\"body\">").append(esc(c.body()))
                    .append("</div></li>");
        }
        h.append("</ol>\n");
    }

    private static List<String> linked(List<Simulator.IssueLink> links, String key) {
        List<String> out = new ArrayList<>();
        for (Simulator.IssueLink l : links) {
            if (l.inward().equals(key)) {
                out.add(l.outward());
            } else if (l.outward().equals(key)) {
                out.add(l.inward());
            }
        }
        return out;
    }

    private static String form(String action, String key, String fields) {
        return "<form method=\"post\" action=\"/__sim/staff\"><input type=\"hidden\" name=\"action\" value=\"" + action
                + "\">" + (key == null ? "" : "<input type=\"hidden\" name=\"key\" value=\"" + esc(key) + "\">") + fields
                + "</form>";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String STYLE = "body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;"
            + "color:#172b4d}h1{margin:.2rem 0}h2{border-bottom:2px solid #dfe1e6;padding-bottom:.2rem}"
            + "article{border:1px solid #dfe1e6;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}"
            + "h3{margin:.2rem 0;font-size:1.05rem}.meta{color:#42526e;margin:.2rem 0}.done{background:#e3fcef;"
            + "border:1px solid #57d9a3;padding:.4rem .6rem;border-radius:4px}.comments{padding-left:1.2rem}"
            + ".comments li{margin:.3rem 0}.internal .body{background:#fffae6}.who{color:#6b778c;font-size:.85rem}"
            + ".body{white-space:pre-wrap}.none{color:#6b778c}.actions form{display:flex;flex-wrap:wrap;gap:.4rem;"
            + "align-items:flex-end;margin:.4rem 0}label{display:flex;flex-direction:column;font-size:.85rem}"
            + "textarea{min-width:28rem}button{padding:.3rem .7rem;cursor:pointer}"
            + "section>form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:flex-end}";
}
