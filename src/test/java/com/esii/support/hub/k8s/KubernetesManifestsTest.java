package com.esii.support.hub.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
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

import com.esii.support.hub.config.ClusterConfig;
import com.esii.support.hub.config.HubConfig;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.smallrye.config.ConfigMapping;

/**
 * The manifests in {@code k8s/} parse, hang together as kustomize would read them, and agree with the application:
 * every environment variable they set is a setting the hub reads, the probes name health endpoints on the HTTP
 * port, the grace period outlasts the shutdown, the memory matches the benchmarks. (That the probe paths answer
 * on the packaged hub is checked by {@link TwoReplicasIT}.)
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> OVERLAYS = List.of("k8s/overlays/demo", "k8s/overlays/production");

    @Test
    void everyYamlFileParsesAndEveryObjectIsTyped() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 10, files.toString());
        for (Path f : files) {
            for (JsonNode doc : documents(f)) {
                assertTrue(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind"), f + " has apiVersion and kind");
                if (!"Kustomization".equals(doc.path("kind").asText())) {
                    assertTrue(doc.at("/metadata/name").isTextual(), f + " names its object");
                }
            }
        }
    }

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
            assertEquals(base.keySet(), all.keySet(), overlay + " builds on the base");
            for (JsonNode p : k.path("patches")) {
                JsonNode patch = single(Path.of(overlay).resolve(p.path("path").asText()));
                String id = patch.path("kind").asText() + "/" + patch.at("/metadata/name").asText();
                assertTrue(all.containsKey(id), overlay + " patches " + id + ", which the base has");
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
                unknown.add(name + " (not in the README's configuration table)");
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
        Duration stop = duration(app.getProperty("quarkus.shutdown.timeout"))
                .plus(duration(settings.get("QUARKUS_SHUTDOWN_DELAY")))
                .plus(duration(settings.get("HUB_CLUSTER_DRAIN_TIMEOUT")))
                .plusSeconds(Long.parseLong(app.getProperty("camel.main.shutdown-timeout")));
        long grace = d.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace > stop.toSeconds(), "grace " + grace + " s > the hub's longest stop " + stop);
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

    /** The README's configuration table: environment variable → setting. */
    static Map<String, String> readmeTable() throws IOException {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9.\\-]+)` \\| `([A-Z0-9_]+)` \\|").matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            out.put(m.group(2), m.group(1));
        }
        return out;
    }

    /** Every hub.* setting the @ConfigMapping interfaces read. */
    private static Set<String> mappedSettings() {
        Set<String> out = new TreeSet<>();
        for (Class<?> mapping : List.of(HubConfig.class, ClusterConfig.class, com.esii.support.hub.phone.PhoneConfig.class)) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, out);
        }
        return out;
    }

    private static void collect(String prefix, Class<?> type, Set<String> out) {
        for (Method m : type.getDeclaredMethods()) {
            String name = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> r = m.getReturnType();
            if (r.isInterface() && r.getName().startsWith("com.esii.")) {
                collect(name, r, out);
            } else {
                out.add(name);
            }
        }
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
