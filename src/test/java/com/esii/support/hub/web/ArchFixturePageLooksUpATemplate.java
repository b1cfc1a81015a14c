package com.esii.support.hub.web;

import io.quarkus.qute.Engine;

/** Breaks the template rule on purpose (ArchitectureRulesFailTest): a page looked up by name. Not a bean. */
public class ArchFixturePageLooksUpATemplate {

    Engine qute;

    String page() {
        return qute.getTemplate("web/not-found").render();
    }
}
