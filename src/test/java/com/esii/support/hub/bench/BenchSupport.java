package com.esii.support.hub.bench;

import java.io.File;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** What the benchmarks share: how they end, and how they start the production jar. */
final class BenchSupport {

    interface Run {
        void run() throws Exception;
    }

    private BenchSupport() {
    }

    /** Runs a benchmark and leaves the JVM for good (embedded servers leave threads behind); 1 on failure. */
    static void main(Run run) {
        int code = 0;
        try {
            run.run();
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private static com.github.tomakehurst.wiremock.WireMockServer mocks;

    /**
     * The simulated ERP, JSM and Jira R&D (WireMock serving {@code mocks/}), so that the measured path is the real
     * one: the contract asked of the ERP at intake, the JSM request and the activity records in the outbox.
     */
    static synchronized String mocks() {
        if (mocks == null) {
            mocks = new com.github.tomakehurst.wiremock.WireMockServer(
                    com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort()
                            .bindAddress("127.0.0.1").usingFilesUnderDirectory("mocks").containerThreads(40)
                            .disableRequestJournal());
            mocks.start();
            warm("http://127.0.0.1:" + mocks.port());
        }
        return "http://127.0.0.1:" + mocks.port();
    }

    /**
     * The simulated systems answer each kind of request the hub sends a few times before any hub starts: a real ERP
     * and Jira are not cold when a replica starts, and the first mail after a start would otherwise also time their
     * first requests (WireMock's first answers, in this JVM).
     */
    private static void warm(String base) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String[][] calls = { { "/api/v1/Authent/Auth", "{\"user\":\"u\",\"password\":\"p\"}" },
                { "/api/v1/WebService/Execute", "{\"action\":\"HUB_CONTRAT_SUPPORT\",\"param\":{}}" },
                { "/api/v1/WebService/Execute", "{\"action\":\"HUB_ACTIVITE_SUPPORT\",\"param\":{}}" },
                { "/rest/servicedeskapi/customer", "{}" }, { "/rest/servicedeskapi/request", "{}" },
                { "/rest/servicedeskapi/request/SD-1/comment", "{}" } };
        for (int i = 0; i < 20; i++) {
            for (String[] c : calls) {
                try {
                    http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + c[0]))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c[1])).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    throw new IllegalStateException("The simulated systems did not answer " + c[0], e);
                }
            }
        }
    }

    /**
     * The production jar on {@code port}, on this database and SMTP server, logging to {@code log}; with a flight
     * recording to {@code jfr} when not null. It uses the AppCDS archive the build made, if any
     * ({@code quarkus.package.jar.appcds.enabled}).
     */
    static ProcessBuilder hub(int port, String jdbcUrl, int smtpPort, String log, String jfr, boolean appCds) {
        return hub(port, jdbcUrl, smtpPort, log, jfr, appCds, "java", java.util.List.of());
    }

    /**
     * The container image's JVM flags (src/main/docker/Dockerfile.jvm and the Jib image alike: the base image's
     * run-java.sh adds its garbage collector settings, then the image's JAVA_OPTS_APPEND); {@code bench.jvm-flags}
     * (space-separated) replaces them for an experiment.
     */
    static java.util.List<String> jvmFlags() {
        String given = System.getProperty("bench.jvm-flags", "");
        if (!given.isBlank()) {
            return java.util.List.of(given.trim().split("\\s+"));
        }
        return CONTAINER_FLAGS;
    }

    /** What the image runs: run-java.sh's defaults (ubi9/openjdk-17-runtime), then JAVA_OPTS_APPEND. */
    static final java.util.List<String> CONTAINER_FLAGS = java.util.List.of("-XX:+UseParallelGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1");

    /**
     * As above, run by the {@code launcher} given (another JDK's), with {@code options} added before the jar
     * (the AOT cache's, say).
     */
    static ProcessBuilder hub(int port, String jdbcUrl, int smtpPort, String log, String jfr, boolean appCds,
            String launcher, java.util.List<String> options) {
        // The JVM as the container image runs it, in the Deployment's memory limit (768 Mi): without MaxRAM the JVM
        // would size its heap from this machine's memory (1/64 of it at start), which no replica ever sees.
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(launcher, "-XX:MaxRAM=768m"));
        cmd.addAll(jvmFlags());
        // The archive names the jar as the build ran it (quarkus-run.jar, in its folder): the hub runs from there.
        File app = new File("target/quarkus-app");
        if (appCds && new File(app, "app-cds.jsa").exists()) {
            cmd.add("-XX:SharedArchiveFile=app-cds.jsa");
        }
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + new File(jfr).getAbsolutePath() + ",settings=profile");
            cmd.add("-XX:FlightRecorderOptions=stackdepth=1024"); // Camel's stacks are deeper than the default 64
        }
        cmd.addAll(options);
        cmd.addAll(java.util.List.of("-jar", "quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(app);
        Map<String, String> env = pb.environment();
        String simulated = mocks();
        env.put("HUB_ERP_URL", simulated);
        env.put("HUB_ERP_USER", "bench@example.com");
        env.put("HUB_JIRA_URL", simulated);
        env.put("HUB_JIRA_EMAIL", "bench@example.com");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("HUB_DB_URL", jdbcUrl);
        env.put("HUB_DB_USERNAME", HubCost.ROLE);
        env.put("HUB_MAIL_SMTP_HOST", "127.0.0.1");
        env.put("HUB_MAIL_SMTP_PORT", String.valueOf(smtpPort));
        pb.redirectErrorStream(true).redirectOutput(new File(log));
        return pb;
    }
}
