package com.esii.support.hub.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.http.HttpHeader;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * Every request the hub sends to the simulated Jira is checked against Atlassian's OpenAPI files
 * ({@code src/test/resources/contracts/}, copied from the project's shared contracts): the platform API v3 and the JSM API. A request that does not validate, that calls
 * a deprecated operation, or that no operation describes is a violation; {@link HubTestResources} fails the test
 * during which it was sent. (The multipart body of attachTemporaryFile is described wrongly by the file itself and
 * is checked by hand: a "file" part.)
 */
public final class JiraContracts {

    private static final Path CONTRACTS = Path.of("src", "test", "resources", "contracts");
    private static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());
    private static volatile Spec platform;
    private static volatile Spec jsm;

    private record Spec(OpenAPI api, OpenApiInteractionValidator validator, List<Template> templates) {
    }

    private record Template(Pattern pattern, PathItem item, String path) {
    }

    private JiraContracts() {
    }

    /** Checks one request seen by WireMock (called for every request it serves). */
    public static void check(com.github.tomakehurst.wiremock.http.Request r) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (HttpHeader h : r.getHeaders().all()) {
            headers.put(h.key(), h.values());
        }
        VIOLATIONS.addAll(violations(r.getMethod().getName(), r.getUrl(), headers, r.getBody()));
    }

    /**
     * The violations of one request ({@code url} is the path and query; header names in any case), without
     * recording them: for servers other than WireMock (the simulator answers 400 and keeps its own list).
     */
    public static List<String> violations(String method, String url, Map<String, List<String>> headers, byte[] body) {
        List<String> out = new ArrayList<>();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        if (!path.startsWith("/rest/")) {
            return out; // the ERP, or WireMock's own API
        }
        String what = method + " " + path;
        Spec spec;
        if (path.startsWith("/rest/servicedeskapi/")) {
            spec = jsm();
        } else if (path.startsWith("/rest/api/3/")) {
            spec = platform();
        } else {
            out.add(what + ": not an API of the contracts (Data Center v2 is only checked in its own test)");
            return out;
        }
        Operation op = operation(spec, method, path);
        if (op == null) {
            out.add(what + ": no such operation in the contract");
            return out;
        }
        if (Boolean.TRUE.equals(op.getDeprecated())) {
            out.add(what + ": deprecated operation " + op.getOperationId());
            return out;
        }
        String contentType = header(headers, "Content-Type");
        String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            if (!text.contains("name=\"file\"")) {
                out.add(what + ": multipart without a part named file");
            }
            return out;
        }
        SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Authorization")) {
                b.withHeader(k, v);
            }
        });
        // every request must carry credentials, in one of the two forms Jira accepts
        String auth = header(headers, "Authorization");
        if (auth == null || !(auth.startsWith("Basic ") || auth.startsWith("Bearer "))) {
            out.add(what + ": no Authorization");
        }
        b.withAuthorization(auth);
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                b.withQueryParam(k, v);
            }
        }
        if (!text.isEmpty()) {
            b.withBody(text);
        }
        Request req = b.build();
        ValidationReport report = spec.validator().validateRequest(req);
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.add(what + ": " + m.getKey() + ": " + m.getMessage());
            }
        }
        return out;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** Reads both contracts now. */
    public static void load() {
        platform();
        jsm();
    }

    /**
     * The {@link com.esii.support.hub.testing.sim.Simulator}'s check of every Jira request against the contracts
     * (read now: a few seconds), for the tests and the fault suite.
     */
    public static com.esii.support.hub.testing.sim.RequestCheck simulatorCheck() {
        load();
        return JiraContracts::violations;
    }

    /** The violations since the last call, and forgets them. */
    public static List<String> drain() {
        synchronized (VIOLATIONS) {
            List<String> out = new ArrayList<>(VIOLATIONS);
            VIOLATIONS.clear();
            return out;
        }
    }

    private static Operation operation(Spec spec, String method, String path) {
        Template best = null;
        for (Template t : spec.templates()) {
            if (t.pattern().matcher(path).matches()) {
                // a literal segment beats a template variable (…/request/{key} vs …/request/search)
                if (best == null || literalLength(t.path()) > literalLength(best.path())) {
                    best = t;
                }
            }
        }
        if (best == null) {
            return null;
        }
        Map<PathItem.HttpMethod, Operation> ops = best.item().readOperationsMap();
        return ops.get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)));
    }

    private static int literalLength(String template) {
        return template.replaceAll("\\{[^}]+}", "").length();
    }

    private static synchronized Spec platform() {
        if (platform == null) {
            platform = load("jira-platform-v3.json");
        }
        return platform;
    }

    private static synchronized Spec jsm() {
        if (jsm == null) {
            jsm = load("jira-service-management.json");
        }
        return jsm;
    }

    private static Spec load(String file) {
        try {
            String text = Files.readString(CONTRACTS.resolve(file));
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            OpenAPI api = new OpenAPIV3Parser().readContents(text, null, options).getOpenAPI();
            if (api == null) {
                throw new IllegalStateException("cannot parse " + file);
            }
            OpenApiInteractionValidator v = OpenApiInteractionValidator.createFor(api).withBasePathOverride("/").build();
            List<Template> templates = new ArrayList<>();
            api.getPaths().forEach((p, item) -> templates.add(new Template(
                    Pattern.compile(Pattern.quote(p).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q")), item, p)));
            return new Spec(api, v, templates);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the contract " + file + " (src/test/resources/contracts)", e);
        }
    }
}
