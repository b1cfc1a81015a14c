package com.esii.support.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Core and edges (DESIGN.md, section 2): the core ({@code ticket}, {@code triage}, {@code sla}, {@code outbox}, with
 * {@code config}, {@code cluster}, {@code util}) imports no channel and no integration; the integrations subscribe
 * to the ticket's events instead, and what the core needs from one is an interface of the core. No two packages
 * depend on each other, directly or round about.
 *
 * <p>Byte code is what is checked: a compile-time constant of another class ({@code static final String}) is
 * copied into the class that uses it and leaves no trace there.
 */
@AnalyzeClasses(packages = "com.esii.support.hub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String HUB = "com.esii.support.hub.";
    // credentials: the base's OAuth2 tokens and secrets (mail and Jira log in with them); it imports no edge
    static final String[] CORE = packages("ticket", "triage", "sla", "outbox", "config", "cluster", "util",
            "credentials");
    static final String[] CHANNELS = packages("email", "web", "api", "phone");
    static final String[] INTEGRATIONS = packages("jira", "erp", "oncall", "mail", "stats", "admin",
            "onsite");
    // testing: the demo build's Jira/ERP simulator (testing.sim, in the main classes only with -Pdemo)
    static final String[] OTHER_EDGES = packages("security", "demo", "testing");
    static final String[] EDGES = Stream.of(CHANNELS, INTEGRATIONS, OTHER_EDGES).flatMap(Arrays::stream)
            .toArray(String[]::new);

    @ArchTest
    static final ArchRule noPackageCycle = slices().matching(HUB + "(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule coreImportsNoEdge = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(EDGES)
            .because("the core knows no channel and no integration: edges subscribe to ticket events, and what the"
                    + " core needs from an edge is an interface of the core");

    /** A new package has to say which side it is on (and so falls under the rule above). */
    @ArchTest
    static final ArchRule everyPackageIsCoreOrEdge = classes().that().resideInAPackage(HUB + "*..")
            .should().resideInAnyPackage(Stream.concat(Arrays.stream(CORE), Arrays.stream(EDGES))
                    .toArray(String[]::new));

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(n -> HUB + n + "..").toArray(String[]::new);
    }
}
