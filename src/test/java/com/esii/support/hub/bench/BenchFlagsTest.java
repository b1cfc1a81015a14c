package com.esii.support.hub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks run the hub with the container image's JVM flags: those the Dockerfile and the Jib image add
 * (JAVA_OPTS_APPEND, {@code quarkus.jib.jvm-additional-arguments}) end {@link BenchSupport#CONTAINER_FLAGS}, so that
 * a figure measured is a replica's.
 */
class BenchFlagsTest {

    @Test
    void theBenchmarksRunTheImagesFlags() throws Exception {
        String docker = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        Matcher m = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(docker);
        assertTrue(m.find(), "JAVA_OPTS_APPEND in the Dockerfile");
        List<String> image = Arrays.stream(m.group(1).split("\\s+")).filter(f -> f.startsWith("-XX:")).toList();
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Matcher j = Pattern.compile("(?m)^quarkus\\.jib\\.jvm-additional-arguments=(.*)$").matcher(properties);
        assertTrue(j.find(), "the Jib image's JVM arguments");
        assertEquals(image, List.of(j.group(1).trim().split(",")), "the Dockerfile and Jib give the same flags");
        List<String> bench = BenchSupport.CONTAINER_FLAGS;
        assertEquals(image, bench.subList(bench.size() - image.size(), bench.size()));
    }
}
