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
 * ({@code ../shared/contracts/}): the platform API v3 and the JSM API. A request that does not validate, that calls
 * a deprecated operation, or that no operation describes is a violation; {@link HubTestResources} fails the test
 * during which it was sent. (The multipart body of attachTemporaryFile is described wrongly by the file itself and
 * is checked by hand: a "file" part.)
 */
public final class JiraContracts {

    private static final Path CONTRACTS = Path.of("..", "shared", "contracts");
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
        String path = r.getUrl().contains("?") ? r.getUrl().substring(0, r.getUrl().indexOf('?')) : r.getUrl();
        if (!path.startsWith("/rest/")) {
            return; // the ERP, or WireMock's own API
        }
        String what = r.getMethod() + " " + path;
        Spec spec;
        if (path.startsWith("/rest/servicedeskapi/")) {
            spec = jsm();
        } else if (path.startsWith("/rest/api/3/")) {
            spec = platform();
        } else {
            VIOLATIONS.add(what + ": not an API of the contracts (Data Center v2 is only checked in its own test)");
            return;
        }
        Operation op = operation(spec, r.getMethod().getName(), path);
        if (op == null) {
            VIOLATIONS.add(what + ": no such operation in the contract");
            return;
        }
        if (Boolean.TRUE.equals(op.getDeprecated())) {
            VIOLATIONS.add(what + ": deprecated operation " + op.getOperationId());
            return;
        }
        String contentType = r.getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            if (!r.getBodyAsString().contains("name=\"file\"")) {
                VIOLATIONS.add(what + ": multipart without a part named file");
            }
            return;
        }
        SimpleRequest.Builder b = new SimpleRequest.Builder(r.getMethod().getName(), path);
        for (HttpHeader h : r.getHeaders().all()) {
            if (!h.key().equalsIgnoreCase("Authorization")) {
                b.withHeader(h.key(), h.values());
            }
        }
        // every request must carry credentials, in one of the two forms Jira accepts
        String auth = r.getHeader("Authorization");
        if (auth == null || !(auth.startsWith("Basic ") || auth.startsWith("Bearer "))) {
            VIOLATIONS.add(what + ": no Authorization");
        }
        b.withAuthorization(auth);
        int q = r.getUrl().indexOf('?');
        if (q >= 0) {
            for (String pair : r.getUrl().substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                b.withQueryParam(k, v);
            }
        }
        if (r.getBody() != null && r.getBody().length > 0) {
            b.withBody(r.getBodyAsString());
        }
        Request req = b.build();
        ValidationReport report = spec.validator().validateRequest(req);
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                VIOLATIONS.add(what + ": " + m.getKey() + ": " + m.getMessage());
            }
        }
    }

    /** Reads both contracts now. */
    public static void load() {
        platform();
        jsm();
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
            throw new IllegalStateException("Cannot read the contract " + file + " (../shared/contracts)", e);
        }
    }
}
