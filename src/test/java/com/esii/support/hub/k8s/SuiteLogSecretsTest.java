package com.esii.support.hub.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import com.esii.support.hub.testing.PostgresResource;
import com.esii.support.hub.testing.TestSettings;

/**
 * No secret in the whole Quarkus test run's log ({@code target/quarkus.log}): the admin password and the database's,
 * which every app test uses. {@link Isolated}: the parallel executor (see surefire's configuration in the pom) runs it
 * after every other class of the run has ended, so that it reads the log whole. The replicas' own logs are scanned
 * by {@link TwoReplicasIT}.
 */
@Tag("app") // the app tests' log: the full suite, not the quick lane (-Pquick)
@Isolated
class SuiteLogSecretsTest {

    @Test
    void noSecretInTheQuarkusTestsLog() throws IOException {
        Path suite = Path.of("target/quarkus.log");
        Assumptions.assumeTrue(Files.exists(suite), "target/quarkus.log not found: no Quarkus test ran in this build");
        try (Stream<String> lines = Files.lines(suite)) {
            lines.forEach(l -> {
                assertFalse(l.contains(TestSettings.ADMIN_PASSWORD), "the admin password in " + suite + ": " + l);
                assertFalse(l.contains(PostgresResource.PASSWORD), "the database's password in " + suite + ": " + l);
            });
        }
    }
}
