package com.esii.support.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.oncall.ArchFixtureOnCallCallsJira;
import com.esii.support.hub.ticket.ArchFixtureCoreCallsMail;
import com.esii.support.hub.web.ArchFixturePageLooksUpATemplate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The rules of {@link ArchitectureTest} broken on purpose: each fails on a class that breaks it (fixtures in the
 * test sources, so the real check, which leaves tests out, never sees them), and passes on one that keeps it.
 */
class ArchitectureRulesFailTest {

    static JavaClasses classes(Class<?>... cs) {
        return new ClassFileImporter().importClasses(cs);
    }

    @Test
    void anEdgeCallingAnotherEdgeFailsTheEdgeRule() {
        EvaluationResult r = ArchitectureTest.edgeRules().evaluate(classes(ArchFixtureOnCallCallsJira.class,
                com.esii.support.hub.jira.JiraOutbox.class));
        assertTrue(r.hasViolation(), "oncall → jira must be refused");
        assertTrue(r.getFailureReport().toString().contains("ArchFixtureOnCallCallsJira"), r.getFailureReport()
                .toString());
    }

    @Test
    void theCoreCallingAnEdgeFailsTheCoreRule() {
        EvaluationResult r = ArchitectureTest.coreImportsNoEdge.evaluate(classes(ArchFixtureCoreCallsMail.class,
                com.esii.support.hub.mailkit.MailSender.class));
        assertTrue(r.hasViolation(), "ticket → mail must be refused");
    }

    @Test
    void aTemplateLookedUpByNameFailsTheTemplateRule() {
        EvaluationResult r = ArchitectureTest.templatesAreChecked.evaluate(
                classes(ArchFixturePageLooksUpATemplate.class, com.esii.support.hub.web.WebForm.class));
        assertTrue(r.hasViolation(), "Engine.getTemplate must be refused");
        String report = r.getFailureReport().toString();
        assertTrue(report.contains("ArchFixturePageLooksUpATemplate") && !report.contains("WebForm"), report);
    }

    @Test
    void anAllowedUseAndTheRealEdgesPassTheEdgeRule() {
        // email may use mail (the two halves of the mail edge), onsite only the core: neither is a violation
        EvaluationResult r = ArchitectureTest.edgeRules().evaluate(classes(com.esii.support.hub.email.MailIntake.class,
                com.esii.support.hub.mailkit.MailSender.class, com.esii.support.hub.onsite.OnSitePlanning.class));
        assertFalse(r.hasViolation(), r.getFailureReport().toString());
    }
}
