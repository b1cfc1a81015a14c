package com.esii.support.hub.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.ConfigMappings;
import com.esii.support.hub.web.WebConfig;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.smallrye.config.WithDefault;

/**
 * The manifests in {@code k8s/} parse, hang together as kustomize would read them, and agree with the application:
 * every environment variable they set is a setting the hub reads, the probes name health endpoints on the HTTP
 * port, the grace period outlasts the shutdown, the memory matches the benchmarks. (That the probe paths answer
 * on the packaged hub is checked by {@link TwoReplicasIT}.) Rendered by kustomize, every object is of its Kubernetes
 * API type (fabric8's generated models) with no unknown or mistyped field; the demo overlay deploys every server the
 * hub is pointed at; the alert rules pass promtool's checks and unit tests, and the dashboard is importable (that
 * they read only metrics the hub exposes is {@link MonitoringMetricsTest}'s). Needs kubectl (or kustomize) and
 * promtool on the PATH.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> OVERLAYS = List.of("k8s/overlays/demo", "k8s/overlays/production");

    @Test
    void everyYamlFileParsesAndEveryObjectIsTyped() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 10, files.toString());
        Set<Path> jsonPatches = jsonPatches();
        for (Path f : files) {
            if (f.startsWith(Monitoring.DIR.resolve("prometheus"))) {
                continue; // Prometheus' own formats, read by monitoringRulesAreOneSetThatPromtoolChecksAndTests
            }
            for (JsonNode doc : documents(f)) {
                if (jsonPatches.contains(f.normalize())) {
                    assertTrue(doc.isArray() && doc.size() > 0, f + " is a JSON patch");
                    doc.forEach(op -> assertTrue(op.hasNonNull("op") && op.path("path").asText().startsWith("/"),
                            f + ": " + op));
                    continue;
                }
                assertTrue(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind"), f + " has apiVersion and kind");
                if (!"Kustomization".equals(doc.path("kind").asText())) {
                    assertTrue(doc.at("/metadata/name").isTextual(), f + " names its object");
                }
            }
        }
    }

    /** What each overlay adds to the base: production nothing, the demo what the hub talks to. */
    private static final Map<String, Set<String>> OVERLAY_ADDS = Map.of(
            "k8s/overlays/production", Set.of(),
            "k8s/overlays/demo", Set.of("Namespace/support-hub-demo", "ServiceAccount/demo-credentials",
                    "Role/demo-credentials", "RoleBinding/demo-credentials", "Job/demo-credentials",
                    "Service/postgres", "StatefulSet/postgres", "NetworkPolicy/postgres", "Service/mail",
                    "Deployment/greenmail", "Service/mailpit", "Deployment/mailpit", "Ingress/support-hub"));

    @Test
    void theBaseAndEachOverlayResolve() throws IOException {
        Map<String, JsonNode> base = resources(Path.of("k8s/base"));
        assertEquals(Set.of("ServiceAccount/support-hub", "Deployment/support-hub", "Service/support-hub",
                "Service/support-hub-smdr",
                "PodDisruptionBudget/support-hub", "NetworkPolicy/support-hub"), base.keySet());
        for (String overlay : OVERLAYS) {
            JsonNode k = kustomization(Path.of(overlay));
            assertTrue(k.path("namespace").asText().startsWith("support-hub"), overlay + " has its namespace");
            Map<String, JsonNode> all = resources(Path.of(overlay));
            assertTrue(all.keySet().containsAll(base.keySet()), overlay + " builds on the base");
            Set<String> added = new TreeSet<>(all.keySet());
            added.removeAll(base.keySet());
            assertEquals(new TreeSet<>(OVERLAY_ADDS.get(overlay)), added, overlay + " adds");
            for (JsonNode p : k.path("patches")) {
                String id;
                if (p.has("target")) {
                    id = p.at("/target/kind").asText() + "/" + p.at("/target/name").asText();
                } else {
                    JsonNode patch = single(Path.of(overlay).resolve(p.path("path").asText()));
                    id = patch.path("kind").asText() + "/" + patch.at("/metadata/name").asText();
                }
                assertTrue(all.containsKey(id), overlay + " patches " + id + ", which it has");
            }
            for (JsonNode g : k.path("configMapGenerator")) {
                assertEquals("merge", g.path("behavior").asText(), overlay + " merges into the base's settings");
                assertEquals("support-hub-settings", g.path("name").asText());
            }
            for (JsonNode i : k.path("images")) {
                assertEquals(deployment().at("/spec/template/spec/containers/0/image").asText(), i.path("name").asText(),
                        overlay + " sets the image the Deployment uses");
            }
        }
    }

    @Test
    void everyEnvironmentVariableSetIsASettingTheHubReads() throws IOException {
        Map<String, String> table = readmeTable();
        Set<String> mapped = mappedSettings();
        Set<String> names = new TreeSet<>();
        JsonNode container = deployment().at("/spec/template/spec/containers/0");
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        for (Path env : settingsFiles()) {
            names.addAll(envFile(env).keySet());
        }
        assertTrue(names.size() > 15, names.toString());
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String setting = table.get(name);
            if (setting == null) {
                unknown.add(name + " (not in the configuration table (docs/configuration.md))");
            } else if (setting.startsWith("hub.") && !mapped.contains(setting)) {
                unknown.add(name + " (" + setting + " is read by no @ConfigMapping)");
            }
        }
        assertEquals(List.of(), unknown);
        // The settings come from the ConfigMap, the secrets from Secrets only.
        for (JsonNode e : container.path("env")) {
            assertTrue(e.at("/valueFrom/secretKeyRef/name").isTextual(), e + " comes from a Secret");
            assertFalse(e.has("value"), "no literal value in the Deployment: " + e);
        }
        for (String secret : List.of("HUB_DB_PASSWORD", "HUB_MAIL_SMTP_PASSWORD", "HUB_MAIL_IMAP_PASSWORD",
                "HUB_ADMIN_PASSWORD")) {
            assertTrue(names.contains(secret), secret + " is referenced");
            for (Path env : settingsFiles()) {
                assertFalse(envFile(env).containsKey(secret), secret + " must not be in a ConfigMap: " + env);
            }
        }
        List<String> refs = container.path("envFrom").findValuesAsText("name");
        assertTrue(refs.contains("support-hub-settings") && refs.contains("support-hub-integrations"), refs.toString());
    }

    /** hub.web.too-large-read-limit's default, read from its mapping. */
    static final String TOO_LARGE_READ_LIMIT_DEFAULT = tooLargeReadLimitDefault();

    static String tooLargeReadLimitDefault() {
        try {
            return WebConfig.Web.class.getMethod("tooLargeReadLimit").getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** hub.phone.port's default, read from its mapping. */
    static final String PHONE_PORT_DEFAULT = phonePortDefault();

    static String phonePortDefault() {
        try {
            return com.esii.support.hub.phone.PhoneConfig.class.getMethod("port")
                    .getAnnotation(io.smallrye.config.WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void probesNameHealthEndpointsOnTheHttpPort() throws IOException {
        JsonNode container = deployment().at("/spec/template/spec/containers/0");
        Properties app = applicationProperties();
        int httpPort = Integer.parseInt(app.getProperty("quarkus.http.port"));
        JsonNode port = container.path("ports").get(0);
        assertEquals("http", port.path("name").asText());
        assertEquals(httpPort, port.path("containerPort").asInt(), "the container port is quarkus.http.port");
        for (Path env : settingsFiles()) {
            assertFalse(envFile(env).containsKey("QUARKUS_HTTP_PORT"), "the port is not moved by " + env);
        }
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe + " port");
        }
        JsonNode service = resources(Path.of("k8s/base")).get("Service/support-hub");
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        assertEquals(httpPort, service.at("/spec/ports/0/port").asInt());
        JsonNode policy = resources(Path.of("k8s/base")).get("NetworkPolicy/support-hub");
        int smdrPort = Integer.parseInt(PHONE_PORT_DEFAULT);
        assertEquals(smdrPort, container.path("ports").get(1).path("containerPort").asInt(), "the SMDR port is hub.phone.port");
        assertEquals("smdr", resources(Path.of("k8s/base")).get("Service/support-hub-smdr").at("/spec/ports/0/targetPort").asText());
        for (JsonNode rule : policy.at("/spec/ingress")) {
            List<Integer> ports = rule.path("ports").findValues("port").stream().map(JsonNode::asInt).toList();
            if (rule.path("from").findValues("ipBlock").isEmpty()) {
                assertEquals(List.of(httpPort), ports, "only the HTTP port is open to the cluster");
            } else {
                assertEquals(List.of(smdrPort), ports, "only SMDR is open to the phone system's address");
            }
        }
    }

    @Test
    void twoReplicasThatStopGracefullyWithinTheirGracePeriod() throws IOException {
        JsonNode d = deployment();
        assertEquals(2, d.at("/spec/replicas").asInt());
        assertEquals(0, d.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(), "rolling upgrade without downtime");
        JsonNode pdb = resources(Path.of("k8s/base")).get("PodDisruptionBudget/support-hub");
        assertEquals(1, pdb.at("/spec/minAvailable").asInt());
        JsonNode labels = d.at("/spec/template/metadata/labels");
        pdb.at("/spec/selector/matchLabels").fields()
                .forEachRemaining(e -> assertEquals(e.getValue(), labels.path(e.getKey()), "the PDB selects the pods"));

        Properties app = applicationProperties();
        Map<String, String> settings = envFile(Path.of("k8s/base/settings.env"));
        // a stop in order: the delay, the requests in flight, the mail pass then the outbox rows (one drain timeout
        // each), Camel, the Quartz jobs (see docs/operations.md, "Rolling upgrade")
        Duration delay = duration(settings.get("QUARKUS_SHUTDOWN_DELAY"));
        Duration stop = delay.plus(duration(app.getProperty("quarkus.shutdown.timeout")))
                .plus(duration(settings.get("HUB_CLUSTER_DRAIN_TIMEOUT")).multipliedBy(2))
                .plusSeconds(Long.parseLong(app.getProperty("camel.main.shutdown-timeout")))
                .plus(duration(app.getProperty("quarkus.quartz.shutdown-wait-time")));
        long grace = d.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= stop.toSeconds() + 5, "grace " + grace + " s covers the hub's longest stop " + stop
                + " with a margin");
    }

    @Test
    void aStoppingReplicaIsSeenNotReadyWithinItsShutdownDelay() throws IOException {
        // On SIGTERM the readiness goes down at once while HTTP keeps answering for the delay: the probe must see it
        // within the delay (periodSeconds x failureThreshold), with a second left for the endpoints to follow.
        JsonNode probe = deployment().at("/spec/template/spec/containers/0/readinessProbe");
        Duration seen = Duration.ofSeconds(probe.path("periodSeconds").asLong(10) * probe.path("failureThreshold").asLong(3));
        Duration delay = duration(envFile(Path.of("k8s/base/settings.env")).get("QUARKUS_SHUTDOWN_DELAY"));
        assertTrue(delay.compareTo(seen.plusSeconds(1)) >= 0, "QUARKUS_SHUTDOWN_DELAY " + delay
                + " outlasts the readiness probe's " + seen + " by a second");
        assertTrue(probe.path("timeoutSeconds").asLong(1) <= probe.path("periodSeconds").asLong(10),
                "a probe answers within its period");
        assertEquals("true", applicationProperties().getProperty("quarkus.shutdown.delay-enabled"));
    }

    @Test
    void resourcesMatchTheMeasuredMemoryAndTheContainerIsLockedDown() throws IOException {
        JsonNode d = deployment();
        JsonNode container = d.at("/spec/template/spec/containers/0");
        long rss = measuredResidentMemoryMb();
        long request = mebibytes(container.at("/resources/requests/memory").asText());
        long limit = mebibytes(container.at("/resources/limits/memory").asText());
        assertTrue(request >= rss, "the request " + request + "Mi covers the measured " + rss + " MB");
        assertTrue(limit >= rss * 3 / 2 && limit <= rss * 3, "the limit " + limit + "Mi leaves room above " + rss + " MB");
        assertTrue(container.at("/resources/requests/cpu").isTextual());

        assertTrue(d.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText(), "the only writable place");
        assertTrue(applicationProperties().getProperty("quarkus.http.body.uploads-directory").contains("java.io.tmpdir"),
                "uploads go under /tmp");
        assertFalse(d.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true));
    }

    // ---- rendered by kustomize ----

    /** What is rendered and validated: the base, each overlay, and the monitoring kustomization. */
    private static final List<String> RENDERED = List.of("k8s/base", "k8s/overlays/demo", "k8s/overlays/production",
            "k8s/monitoring");

    @Test
    void everyRenderedObjectIsOfItsKubernetesApiTypeWithNoUnknownOrMistypedField() throws Exception {
        int checked = 0;
        for (String dir : RENDERED) {
            List<JsonNode> objects = render(dir);
            assertFalse(objects.isEmpty(), dir + " renders objects");
            for (JsonNode doc : objects) {
                String id = dir + ": " + doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText();
                KubernetesResource typed = TYPED.treeToValue(doc, KubernetesResource.class);
                assertFalse(typed instanceof GenericKubernetesResource, id + " is a type the API (or its CRD) defines");
                List<String> unknown = new ArrayList<>();
                unknownFields(typed, "", unknown);
                assertEquals(List.of(), unknown, id + " has only fields its type defines");
                assertEquals(List.of(), differences(doc, TYPED.valueToTree(typed), ""),
                        id + " reads back as written: every value is of its field's type");
                checked++;
            }
        }
        assertTrue(checked > 30, checked + " objects");
    }

    /**
     * Quarkus trusts every peer's X-Forwarded-For when forwarding is on and no trusted proxy is named: a client could
     * then send a new address with each failed admin login and never be throttled. Each overlay names its proxies.
     */
    @Test
    void everyOverlayThatHonoursForwardedHeadersNamesItsTrustedProxies() throws Exception {
        List<String> all = new java.util.ArrayList<>(OVERLAYS);
        all.add("k8s/base"); // the base alone too: someone may deploy it as it is
        for (String overlay : all) {
            JsonNode settings = render(overlay).stream().filter(o -> "ConfigMap".equals(o.path("kind").asText())
                    && o.path("metadata").path("name").asText().startsWith("support-hub-settings")).findFirst()
                    .orElseThrow().path("data");
            if (settings.path("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING").asText().equals("true")) {
                assertFalse(settings.path("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES").asText().isBlank(),
                        overlay + " honours X-Forwarded-For from anyone: set QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
            }
        }
    }

    @Test
    void theSchemaCheckCatchesAMisspelledOrMistypedField() throws Exception {
        JsonNode d = render("k8s/overlays/production").stream().filter(o -> "Deployment".equals(o.path("kind").asText()))
                .findFirst().orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode misspelled = d.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) misspelled.at("/spec/template/spec/containers/0"))
                .put("imagePullPolcy", "Always");
        List<String> unknown = new ArrayList<>();
        unknownFields(TYPED.treeToValue(misspelled, KubernetesResource.class), "", unknown);
        assertEquals(List.of("/spec/template/spec/containers/0/imagePullPolcy"), unknown);
        com.fasterxml.jackson.databind.node.ObjectNode mistyped = d.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) mistyped.path("spec")).put("replicas", "two");
        assertThrows(com.fasterxml.jackson.databind.JsonMappingException.class,
                () -> TYPED.treeToValue(mistyped, KubernetesResource.class));
        com.fasterxml.jackson.databind.node.ObjectNode quoted = d.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) quoted.path("spec")).put("replicas", "2");
        assertEquals(List.of("/spec/replicas: \"2\" reads back as 2"),
                differences(quoted, TYPED.valueToTree(TYPED.treeToValue(quoted, KubernetesResource.class)), ""));
    }

    @Test
    void theDemoDeploysEverythingTheHubIsPointedAt() throws Exception {
        String namespace = kustomization(Path.of("k8s/overlays/demo")).path("namespace").asText();
        List<JsonNode> demo = render("k8s/overlays/demo");
        assertTrue(demo.stream().anyMatch(o -> o.path("kind").asText().equals("Namespace")
                && o.at("/metadata/name").asText().equals(namespace)), "the demo creates its namespace");
        for (JsonNode o : demo) {
            if (!"Namespace".equals(o.path("kind").asText())) {
                assertEquals(namespace, o.at("/metadata/namespace").asText(), o.at("/metadata/name") + " is in the demo's namespace");
            }
        }
        JsonNode hub = object(demo, "Deployment", "support-hub");
        JsonNode settings = demo.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.at("/metadata/name").asText().startsWith("support-hub-settings-")).findFirst().orElseThrow().path("data");

        // The database, the mailbox the hub reads, the SMTP server it sends through: each a Service of the demo
        // whose pods listen on the port, and that the hub's NetworkPolicy lets it reach.
        Matcher jdbc = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+).*").matcher(settings.path("HUB_DB_URL").asText());
        assertTrue(jdbc.matches(), settings.path("HUB_DB_URL").asText());
        assertEquals("true", settings.path("HUB_MAIL_IMAP_ENABLED").asText(), "the demo shows the email channel");
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(jdbc.group(1) + ":" + jdbc.group(2), "HUB_DB_URL");
        endpoints.put(settings.path("HUB_MAIL_SMTP_HOST").asText() + ":" + settings.path("HUB_MAIL_SMTP_PORT").asText(), "SMTP");
        endpoints.put(settings.path("HUB_MAIL_IMAP_HOST").asText() + ":" + settings.path("HUB_MAIL_IMAP_PORT").asText(), "IMAP");
        for (String name : List.of("HUB_JIRA_URL", "HUB_ERP_URL", "HUB_ONCALL_WEBHOOK_URL")) {
            assertFalse(settings.has(name), name + " points at nothing the demo deploys");
        }
        JsonNode hubPolicy = object(demo, "NetworkPolicy", "support-hub");
        for (Map.Entry<String, String> e : endpoints.entrySet()) {
            String host = e.getKey().substring(0, e.getKey().indexOf(':'));
            int port = Integer.parseInt(e.getKey().substring(e.getKey().indexOf(':') + 1));
            String[] labels = host.split("\\.");
            assertTrue(labels.length == 1 || (labels.length >= 3 && labels[1].equals(namespace) && labels[2].equals("svc")),
                    e.getValue() + ": " + host + " is a Service of the demo's namespace");
            JsonNode service = object(demo, "Service", labels[0]);
            JsonNode servicePort = null;
            for (JsonNode sp : service.at("/spec/ports")) {
                if (sp.path("port").asInt() == port) {
                    servicePort = sp;
                }
            }
            assertNotNull(servicePort, e.getValue() + ": Service " + labels[0] + " has port " + port);
            JsonNode pod = podServing(demo, service);
            int containerPort = containerPort(pod, servicePort.path("targetPort"));
            assertTrue(containerPort > 0, e.getValue() + ": a container of " + labels[0] + "'s pods listens on " + servicePort);
            assertTrue(egressAllows(hubPolicy, pod.at("/metadata/labels"), containerPort),
                    e.getValue() + ": the hub's NetworkPolicy lets it reach port " + containerPort + " of " + labels[0]);
        }

        // The Secrets the hub and the database read are made by the credentials Job, under the keys they read.
        Set<String> made = secretsTheJobMakes(object(demo, "Job", "demo-credentials"));
        List<String> missing = new ArrayList<>();
        for (JsonNode o : demo) {
            for (JsonNode ref : o.at("/spec/template/spec").findValues("secretKeyRef")) {
                String key = ref.path("name").asText() + "/" + ref.path("key").asText();
                boolean secretMade = made.stream().anyMatch(k -> k.startsWith(ref.path("name").asText() + "/"));
                if (!made.contains(key) && (!ref.path("optional").asBoolean(false) || secretMade
                        && !key.contains("smtp-"))) {
                    missing.add(o.at("/metadata/name").asText() + " reads " + key);
                }
            }
        }
        assertEquals(List.of(), missing, "made by the Job: " + made);
        JsonNode postgres = object(demo, "StatefulSet", "postgres").at("/spec/template/spec/containers/0");
        assertTrue(postgres.path("env").toString().contains("{\"name\":\"POSTGRES_DB\",\"value\":\"" + jdbc.group(3) + "\"}"),
                "the database the hub's URL names is the one created");

        // The Ingress sends to Services of the demo, on ports they have.
        for (JsonNode path : object(demo, "Ingress", "support-hub").at("/spec/rules").findValues("paths")) {
            for (JsonNode p : path) {
                JsonNode backend = p.at("/backend/service");
                JsonNode service = object(demo, "Service", backend.path("name").asText());
                assertTrue(service.at("/spec/ports").findValuesAsText("name").contains(backend.at("/port/name").asText()),
                        backend + " is a port of its Service");
            }
        }

        // ...and lets through a form as large as the hub reads to answer it with its page (ingress-nginx's own limit
        // is 1 MB: a larger attachment would get the controller's 413 page instead of the form).
        assertEquals(TOO_LARGE_READ_LIMIT_DEFAULT.toLowerCase(Locale.ROOT), object(demo, "Ingress", "support-hub")
                .at("/metadata/annotations").path("nginx.ingress.kubernetes.io/proxy-body-size").asText());

        // The hub's image is the one the build makes (Jib: quarkus.container-image.group/name, the project's version).
        Properties app = applicationProperties();
        Matcher version = Pattern.compile("<artifactId>support-hub</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        assertEquals(app.getProperty("quarkus.container-image.group") + "/" + app.getProperty("quarkus.container-image.name")
                + ":" + version.group(1), hub.at("/spec/template/spec/containers/0/image").asText());
    }

    @Test
    void monitoringRulesAreOneSetThatPromtoolChecksAndTests() throws Exception {
        JsonNode rules = Monitoring.rules();
        JsonNode operatorRule = single(Monitoring.PROMETHEUS_RULE);
        assertEquals("PrometheusRule", operatorRule.path("kind").asText());
        assertEquals(rules.path("groups"), operatorRule.at("/spec/groups"),
                "the PrometheusRule holds the same groups as the plain rules file");
        assertTrue(render("k8s/monitoring").stream().anyMatch(o -> o.path("kind").asText().equals("PrometheusRule")),
                "the monitoring kustomization brings the PrometheusRule");

        Set<String> alerts = new TreeSet<>(rules.findValuesAsText("alert"));
        assertEquals(new TreeSet<>(List.of("SupportHubOutboxDeadRows", "SupportHubOutboxHeldRows",
                "SupportHubOutboxOldestPendingRow", "SupportHubMailPollerLeaderless", "SupportHubJiraUnavailable",
                "SupportHubErpUnavailable", "SupportHubMailServerUnavailable", "SupportHubMailSpoolFull",
                "SupportHubTakeChargeBreached", "SupportHubSmdrSilent")), alerts);
        // Each alert has a case in promtool's tests, and the tests pass.
        String tests = Files.readString(Monitoring.RULE_TESTS);
        for (String alert : alerts) {
            assertTrue(tests.contains("alertname: " + alert), alert + " is tested");
        }
        String check = promtool("check", "rules", Monitoring.RULES.toString());
        assertTrue(check.contains("SUCCESS: " + alerts.size() + " rules found"), check);
        String test = promtool("test", "rules", Monitoring.RULE_TESTS.toString());
        assertTrue(test.contains("SUCCESS"), test);
    }

    @Test
    void theGrafanaDashboardIsImportableAndEachPanelQueriesPrometheus() throws Exception {
        JsonNode d = Monitoring.dashboard();
        assertTrue(d.path("uid").isTextual() && d.path("title").isTextual() && d.path("schemaVersion").asInt() >= 36);
        JsonNode datasource = d.at("/templating/list/0");
        assertEquals("datasource", datasource.path("type").asText(), "the Prometheus to read is chosen on import");
        assertEquals("prometheus", datasource.path("query").asText());
        Set<Integer> ids = new java.util.HashSet<>();
        int queries = 0;
        for (JsonNode panel : d.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
            assertTrue(panel.at("/gridPos/w").asInt() > 0, panel.path("title") + " has a place");
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            assertEquals("${datasource}", panel.at("/datasource/uid").asText(), panel.path("title") + "'s data source");
            assertTrue(panel.path("targets").size() > 0, panel.path("title") + " has a query");
            for (JsonNode t : panel.path("targets")) {
                assertFalse(Monitoring.metricNames(t.path("expr").asText()).isEmpty(), t.toString());
                queries++;
            }
        }
        assertTrue(queries >= 10, queries + " queries");
        assertTrue(render("k8s/monitoring").stream().anyMatch(o -> o.path("kind").asText().equals("ConfigMap")
                && o.at("/metadata/labels/grafana_dashboard").asText().equals("1")), "the dashboard for Grafana's sidecar");
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertEquals(Set.of("hub_support_desk_open", "hub_phone_last_record_timestamp_seconds"), Monitoring.metricNames(
                "(time() - max by (namespace) (hub_phone_last_record_timestamp_seconds{a=\"b:c\"}) > 3600)"
                        + " and on (namespace) (max by (namespace) (hub_support_desk_open) == 1)"));
        assertEquals(Set.of("x_total"), Monitoring.metricNames(
                "sum without (pod, le) (rate(x_total{namespace=~\"$namespace\"}[5m] offset 1h)) * 1e3 > bool 2"));
    }

    // ---- rendering and the typed model ----

    /** Plain Jackson: fabric8's model classes carry their own (de)serialisation. */
    private static final ObjectMapper TYPED = new ObjectMapper();
    private static final Map<String, List<JsonNode>> RENDERS = new HashMap<>();

    /** {@code kubectl kustomize DIR} (kubectl's own kustomize), or {@code kustomize build DIR} where only that is. */
    static synchronized List<JsonNode> render(String dir) throws IOException, InterruptedException {
        List<JsonNode> cached = RENDERS.get(dir);
        if (cached != null) {
            return cached;
        }
        List<String> command = onPath("kubectl") ? List.of("kubectl", "kustomize", dir)
                : onPath("kustomize") ? List.of("kustomize", "build", dir) : null;
        assertNotNull(command, "rendering the manifests needs kubectl (with its kustomize) or kustomize on the PATH");
        String out = run(command);
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(out);
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        }
        RENDERS.put(dir, docs);
        return docs;
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        assertTrue(onPath("promtool"), "checking the alert rules needs promtool on the PATH (.ci/run installs it from"
                + " Debian's prometheus package)");
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("k8s-test", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), command + " ends");
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), command + ":\n" + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Where two JSON trees differ (JSON pointers); numbers compare by value, a number never equals a string. */
    private static List<String> differences(JsonNode written, JsonNode read, String at) {
        List<String> out = new ArrayList<>();
        if (written.isNumber() && read.isNumber()) {
            if (written.decimalValue().compareTo(read.decimalValue()) != 0) {
                out.add(at + ": " + written + " reads back as " + read);
            }
        } else if (written.isObject() && read.isObject()) {
            Set<String> names = new TreeSet<>();
            written.fieldNames().forEachRemaining(names::add);
            read.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                // the model fills in the type of an embedded object (a StatefulSet's volumeClaimTemplates)
                if (!(written.path(n).isMissingNode() && Set.of("apiVersion", "kind").contains(n))) {
                    out.addAll(differences(written.path(n), read.path(n), at + "/" + n));
                }
            }
        } else if (written.isArray() && read.isArray() && written.size() == read.size()) {
            for (int i = 0; i < written.size(); i++) {
                out.addAll(differences(written.get(i), read.get(i), at + "/" + i));
            }
        } else if (!written.equals(read)) {
            out.add(at + ": " + (written.isMissingNode() ? "nothing" : written) + " reads back as "
                    + (read.isMissingNode() ? "nothing" : read));
        }
        return out;
    }

    /** Fields the typed model did not know, found in its additionalProperties maps (JSON pointers). */
    private static void unknownFields(Object o, String at, List<String> out) throws IllegalAccessException {
        if (o == null) {
            return;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                unknownFields(l.get(i), at + "/" + i, out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), at + "/" + e.getKey(), out);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                Object v = f.get(o);
                if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add(at + "/" + k));
                } else if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                    String name = f.getName();
                    com.fasterxml.jackson.annotation.JsonProperty json = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    if (json != null && !json.value().isEmpty()) {
                        name = json.value();
                    }
                    unknownFields(v, at + "/" + name, out);
                }
            }
        }
    }

    private static JsonNode object(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " is rendered"));
    }

    /** The pod template of the one workload whose pods the Service selects. */
    private static JsonNode podServing(List<JsonNode> objects, JsonNode service) {
        JsonNode selector = service.at("/spec/selector");
        List<JsonNode> pods = objects.stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asText()))
                .map(o -> o.at("/spec/template")).filter(t -> matches(selector, t.at("/metadata/labels"))).toList();
        assertEquals(1, pods.size(), "one workload behind Service " + service.at("/metadata/name"));
        return pods.get(0);
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.size() == 0) {
            return true;
        }
        java.util.Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().equals(labels.path(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The container port a Service's targetPort (a number or a port name) lands on, or 0. */
    private static int containerPort(JsonNode pod, JsonNode targetPort) {
        for (JsonNode c : pod.at("/spec/containers")) {
            for (JsonNode p : c.path("ports")) {
                if (targetPort.isInt() ? p.path("containerPort").asInt() == targetPort.asInt()
                        : p.path("name").asText().equals(targetPort.asText())) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return 0;
    }

    /** Whether an egress rule of the policy lets its pods reach that port of pods with these labels (same namespace). */
    private static boolean egressAllows(JsonNode policy, JsonNode labels, int port) {
        for (JsonNode rule : policy.at("/spec/egress")) {
            boolean portOk = !rule.has("ports") || rule.path("ports").findValues("port").stream().anyMatch(p -> p.asInt() == port);
            boolean peerOk = !rule.has("to") || java.util.stream.StreamSupport.stream(rule.path("to").spliterator(), false)
                    .anyMatch(to -> to.has("podSelector") && !to.has("namespaceSelector")
                            && matches(to.at("/podSelector/matchLabels"), labels));
            if (portOk && peerOk) {
                return true;
            }
        }
        return false;
    }

    /** "secret/key" for each key the credentials Job writes ({@code /gen/<secret>/<key>}) into a Secret it creates. */
    private static Set<String> secretsTheJobMakes(JsonNode job) {
        Set<String> created = new TreeSet<>();
        for (JsonNode c : job.at("/spec/template/spec/containers")) {
            List<String> args = new ArrayList<>();
            c.path("args").forEach(a -> args.add(a.asText()));
            int i = args.indexOf("generic");
            assertTrue(args.subList(0, 2).equals(List.of("create", "secret")) && i == 2, c.path("args").toString());
            String name = args.get(3);
            assertTrue(args.contains("--from-file=/gen/" + name), c.path("args").toString());
            created.add(name);
        }
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("> /gen/([a-z0-9-]+)/([a-z0-9-]+)$", Pattern.MULTILINE)
                .matcher(job.at("/spec/template/spec/initContainers/0/command").toString().replace("\\n", "\n"));
        while (m.find()) {
            if (created.contains(m.group(1))) {
                keys.add(m.group(1) + "/" + m.group(2));
            }
        }
        return keys;
    }

    /** The files kustomizations apply as JSON patches (a list of operations, not an object). */
    private static Set<Path> jsonPatches() throws IOException {
        Set<Path> out = new java.util.HashSet<>();
        for (Path f : yamlFiles()) {
            if (f.getFileName().toString().equals("kustomization.yaml")) {
                for (JsonNode p : single(f).path("patches")) {
                    if (p.has("target") && p.has("path")) {
                        out.add(f.getParent().resolve(p.path("path").asText()).normalize());
                    }
                }
            }
        }
        return out;
    }

    // ---- reading ----

    static JsonNode deployment() throws IOException {
        return resources(Path.of("k8s/base")).get("Deployment/support-hub");
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(K8S)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static List<JsonNode> documents(Path f) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(f.toFile());
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    private static JsonNode single(Path f) throws IOException {
        List<JsonNode> docs = documents(f);
        assertEquals(1, docs.size(), f.toString());
        return docs.get(0);
    }

    private static JsonNode kustomization(Path dir) throws IOException {
        Path k = dir.resolve("kustomization.yaml");
        assertTrue(Files.exists(k), k.toString());
        JsonNode n = single(k);
        assertEquals("Kustomization", n.path("kind").asText());
        return n;
    }

    /** The objects a kustomization brings in, by kind/name, following resources into bases (patches not applied). */
    private static Map<String, JsonNode> resources(Path dir) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode k = kustomization(dir);
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            assertTrue(Files.exists(p), dir + " lists " + r.asText() + ", which exists");
            if (Files.isDirectory(p)) {
                out.putAll(resources(p));
            } else {
                for (JsonNode doc : documents(p)) {
                    out.put(doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText(), doc);
                }
            }
        }
        for (JsonNode g : k.path("configMapGenerator")) {
            for (JsonNode e : g.path("envs")) {
                assertTrue(Files.exists(dir.resolve(e.asText())), dir + " generates from " + e.asText());
            }
        }
        return out;
    }

    private static List<Path> settingsFiles() {
        List<Path> files = new ArrayList<>(List.of(Path.of("k8s/base/settings.env")));
        OVERLAYS.forEach(o -> files.add(Path.of(o, "settings.env")));
        return files;
    }

    private static Map<String, String> envFile(Path f) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0, f + ": " + line);
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** The configuration table (docs/configuration.md): environment variable → setting. */
    static Map<String, String> readmeTable() throws IOException {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9.\\-]+)` \\| `([A-Z0-9_]+)` \\|").matcher(Files.readString(Path.of("docs", "configuration.md")));
        while (m.find()) {
            out.put(m.group(2), m.group(1));
        }
        return out;
    }

    /** Every hub.* setting the @ConfigMapping interfaces read (each package's own: {@link ConfigMappings}). */
    private static Set<String> mappedSettings() {
        Set<String> out = new TreeSet<>();
        for (Class<?> mapping : ConfigMappings.all()) {
            out.addAll(ConfigMappings.settings(mapping));
        }
        return out;
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(Path.of("src/main/resources/application.properties"))));
        return p;
    }

    private static long measuredResidentMemoryMb() throws IOException {
        Pattern rss = Pattern.compile("Resident memory of the hub at the end \\(VmRSS\\) \\| (\\d+) MB");
        long max = 0;
        try (Stream<Path> s = Files.list(Path.of("bench/results"))) {
            for (Path f : s.toList()) {
                Matcher m = rss.matcher(Files.readString(f));
                while (m.find()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
        }
        assertTrue(max > 0, "bench/results records the resident memory");
        return max;
    }

    private static long mebibytes(String quantity) {
        assertNotNull(quantity);
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertTrue(quantity.endsWith("Mi"), quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }

    private static Duration duration(String s) {
        assertNotNull(s);
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(s);
        assertTrue(m.matches(), s);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
