package com.esii.support.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * Core and edges (DESIGN.md, section 2): the core ({@code ticket}, {@code triage}, {@code sla}, {@code outbox}, with
 * {@code cluster}, {@code util}, {@code credentials}) imports no channel and no integration; the integrations subscribe
 * to the ticket's events instead, and what the core needs from one is an interface of the core. No two packages
 * depend on each other, directly or round about. Pages and mails are rendered by checked templates only.
 *
 * <p>Byte code is what is checked: a compile-time constant of another class ({@code static final String}) is
 * copied into the class that uses it and leaves no trace there.
 */
@AnalyzeClasses(packages = "com.esii.support.hub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String HUB = "com.esii.support.hub.";
    // credentials: the base's OAuth2 tokens and secrets (mail and Jira log in with them); it imports no edge
    static final String[] CORE = packages("ticket", "triage", "sla", "outbox", "cluster", "util", "credentials");
    static final String[] CHANNELS = packages("email", "web", "api", "phone");
    static final String[] INTEGRATIONS = packages("jira", "erp", "oncall", "mail", "stats", "admin",
            "onsite");
    // testing: the demo build's Jira/ERP simulator (testing.sim, in the main classes only with -Pdemo)
    static final String[] OTHER_EDGES = packages("security", "mailkit", "demo", "testing");
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

    /**
     * What each edge may use besides the core and the base (issue 24: edges meet through the core): nothing but the
     * shared toolkits every edge may use, {@code security} (the admin role, the throttles) and {@code mailkit} (the
     * mail-sending and address toolkit: SMTP and IMAP login, addresses, suppressions, loop caps, the customer mail's
     * steps), which the mail edge and the email channel both use. {@code demo} wires the demo's systems;
     * {@code testing} is the demo build's simulator. (The figures read the phone's calls through the core port
     * {@code ticket.CallLog}; each edge's admin endpoints live in the edge.)
     */
    static final Map<String, List<String>> EDGE_MAY_ALSO_USE = Map.of();
    static final List<String> ANY_EDGE_MAY_USE = List.of("security", "mailkit");
    static final List<String> MAY_USE_EVERY_EDGE = List.of("demo", "testing");

    /**
     * One way to render (issue 24): every page and mail through a checked template ({@code @CheckedTemplate}), whose
     * expressions the build checks; never a template looked up by name.
     */
    @ArchTest
    static final ArchRule templatesAreChecked = noClasses().that().resideInAPackage(HUB + ".")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.quarkus.qute.Engine")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.quarkus.qute.Template")
            .because("a template looked up by name is checked by nothing: a wrong expression shows only when it runs");

    /** One rule per edge: it depends on no other edge but those it may use. */
    @ArchTest
    static final ArchRule edgesMeetOnlyThroughTheCore = edgeRules();

    static ArchRule edgeRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (String edge : Arrays.stream(EDGES).map(p -> p.substring(HUB.length(), p.length() - 2)).toList()) {
            if (MAY_USE_EVERY_EDGE.contains(edge)) {
                continue;
            }
            List<String> allowed = new ArrayList<>(EDGE_MAY_ALSO_USE.getOrDefault(edge, List.of()));
            allowed.addAll(ANY_EDGE_MAY_USE);
            allowed.add(edge);
            String[] forbidden = Arrays.stream(EDGES).filter(p -> !allowed.contains(p.substring(HUB.length(),
                    p.length() - 2))).toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(HUB + edge + "..").should().dependOnClassesThat()
                    .resideInAnyPackage(forbidden).because(edge + " meets the other edges through ticket events and"
                            + " core ports (may also use: " + allowed + ")").allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules);
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(n -> HUB + n + "..").toArray(String[]::new);
    }
}
