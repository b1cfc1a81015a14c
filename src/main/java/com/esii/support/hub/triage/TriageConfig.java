package com.esii.support.hub.triage;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The triage's settings ({@code hub.triage.*}): its rules, and the mail domains that identify nobody (read by the
 * ERP's contract look-up, which finds a customer by a sender's domain). Every setting is in the configuration table
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.triage")
public interface TriageConfig {

    /** A JSON rules file replacing the built-in triage-rules.json; re-read when it changes. */
    Optional<String> rulesFile();

    /**
     * Mail domains shared by many people (webmail, ISPs): a sender there is never identified by domain alone.
     */
    @WithDefault("gmail.com,googlemail.com,yahoo.com,yahoo.fr,hotmail.com,hotmail.fr,outlook.com,outlook.fr,live.com,live.fr,msn.com,icloud.com,me.com,aol.com,orange.fr,wanadoo.fr,free.fr,sfr.fr,neuf.fr,laposte.net,bbox.fr,gmx.fr,gmx.com,gmx.de,proton.me,protonmail.com,yandex.com,mail.com")
    List<String> sharedMailDomains();
}
