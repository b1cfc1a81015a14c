package com.esii.support.hub.testing.sim;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Faults on demand. A rule matches requests by method and path ({@code *} is one path segment, {@code **} the
 * rest), optionally by a text in the body, or every write ({@link #onWrites()}); it applies to all matching
 * requests, to the next {@code n} ({@link Rule#times}), or to a seeded random fraction of them
 * ({@link Rule#fraction}). The first rule that matches and fires wins.
 *
 * <pre>
 * sim.faults().on("POST", "/rest/servicedeskapi/request").timeoutAfterCommit().once();
 * sim.faults().on("POST", "/api/v1/WebService/Execute").withBody("HUB_ACTIVITE_SUPPORT").status(503);
 * sim.faults().onWrites().fraction(0.2, 42).status(500);
 * sim.faults().creationsTake(Duration.ofMillis(1500));
 * </pre>
 */
public final class Faults {

    /** What a rule does to a request it matches. */
    public enum Kind {
        /** answers the status with an error body; nothing is stored */
        STATUS,
        /** 429 with {@code Retry-After} (and Jira's rate-limit headers); nothing is stored */
        TOO_MANY,
        /** the write is stored, then the answer is held beyond the client's timeout */
        TIMEOUT_AFTER_COMMIT,
        /** the write is stored, then the connection is closed without an answer */
        DROP_AFTER_COMMIT,
        /** the write is stored and answered, but the connection is reset (RST) before the answer is complete */
        RESET_AFTER_ANSWER,
        /** waits, then handles the request normally */
        SLOW,
        /** answers the given status and body instead of the simulator; nothing is stored */
        RESPOND
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile Duration creations = Duration.ZERO;

    /** A rule for requests with this method ({@code *}: any) and path pattern. */
    public Rule on(String method, String pathPattern) {
        Rule r = new Rule(method, pathPattern, false);
        rules.add(r);
        return r;
    }

    /** A rule for every write: Jira's POST/PUT/DELETE except searches, the ERP's record actions. */
    public Rule onWrites() {
        Rule r = new Rule("*", "/**", true);
        rules.add(r);
        return r;
    }

    /** "Jira answers creations in …": requests, issues, comments and customers take this long, then are created. */
    public Faults creationsTake(Duration d) {
        creations = d == null ? Duration.ZERO : d;
        return this;
    }

    Duration creations() {
        return creations;
    }

    public void clear() {
        rules.clear();
        creations = Duration.ZERO;
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** The rule that fires for this request, if any (its use is counted). */
    Rule fire(String method, String path, String body, boolean write) {
        for (Rule r : rules) {
            if (r.fires(method, path, body, write)) {
                return r;
            }
        }
        return null;
    }

    public static final class Rule {
        private final String method;
        private final Pattern path;
        private final boolean writesOnly;
        private volatile String bodyContains;
        private volatile Kind kind;
        private volatile int status = 500;
        private volatile int retryAfter = 1;
        private volatile Duration duration = Duration.ofSeconds(3);
        private volatile String body;
        private int remaining = -1; // -1: always
        private Random random;
        private double fraction = 1;
        private int hits;

        private Rule(String method, String pattern, boolean writesOnly) {
            this.method = method.toUpperCase(Locale.ROOT);
            this.writesOnly = writesOnly;
            String regex = Pattern.quote(pattern).replace("/**", "\u0001").replace("*", "\\E[^/]+\\Q")
                    .replace("\u0001", "\\E(/.*)?\\Q");
            this.path = Pattern.compile(regex);
        }

        /** Only requests whose body contains this text (e.g. an ERP action or a ticket number). */
        public Rule withBody(String text) {
            this.bodyContains = text;
            return this;
        }

        public Rule status(int code) {
            this.status = code;
            this.kind = Kind.STATUS;
            return this;
        }

        public Rule tooMany(int retryAfterSeconds) {
            this.retryAfter = retryAfterSeconds;
            this.kind = Kind.TOO_MANY;
            return this;
        }

        /** The answer is held 3 s (beyond the hub's test timeouts) after the write is stored. */
        public Rule timeoutAfterCommit() {
            return timeoutAfterCommit(Duration.ofSeconds(3));
        }

        public Rule timeoutAfterCommit(Duration hold) {
            this.duration = hold;
            this.kind = Kind.TIMEOUT_AFTER_COMMIT;
            return this;
        }

        public Rule dropAfterCommit() {
            this.kind = Kind.DROP_AFTER_COMMIT;
            return this;
        }

        public Rule resetAfterAnswer() {
            this.kind = Kind.RESET_AFTER_ANSWER;
            return this;
        }

        public Rule slow(Duration d) {
            this.duration = d;
            this.kind = Kind.SLOW;
            return this;
        }

        public Rule respond(int status, String body) {
            this.status = status;
            this.body = body;
            this.kind = Kind.RESPOND;
            return this;
        }

        /** Fires for the next request only. */
        public Rule once() {
            return times(1);
        }

        public synchronized Rule times(int n) {
            this.remaining = n;
            return this;
        }

        /** Fires for this fraction of the matching requests, drawn from a random of this seed. */
        public synchronized Rule fraction(double f, long seed) {
            this.fraction = f;
            this.random = new Random(seed);
            return this;
        }

        /** How many requests it fired for. */
        public synchronized int hits() {
            return hits;
        }

        public Kind kind() {
            return kind;
        }

        int statusCode() {
            return status;
        }

        int retryAfter() {
            return retryAfter;
        }

        Duration duration() {
            return duration;
        }

        String body() {
            return body;
        }

        private synchronized boolean fires(String m, String p, String b, boolean write) {
            if (kind == null || remaining == 0 || (writesOnly && !write)) {
                return false;
            }
            if (!("*".equals(method) || method.equals(m)) || !path.matcher(p).matches()) {
                return false;
            }
            if (bodyContains != null && (b == null || !b.contains(bodyContains))) {
                return false;
            }
            if (random != null && random.nextDouble() >= fraction) {
                return false;
            }
            if (remaining > 0) {
                remaining--;
            }
            hits++;
            return true;
        }

        @Override
        public String toString() {
            return method + " " + path + (bodyContains == null ? "" : " ~" + bodyContains) + " → " + kind;
        }
    }
}
