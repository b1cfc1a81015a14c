package com.esii.support.hub.triage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The triage rules in force: the built-in ones, or {@code hub.triage.rules-file}, re-read when the file changes
 * (a broken edit is logged and the previous rules stay in force).
 */
@ApplicationScoped
public class Triage {

    private static final Logger LOG = Logger.getLogger(Triage.class);

    private final Path file;
    private volatile TriageRules rules;
    private volatile FileTime loadedAt;

    public Triage(TriageConfig config) {
        this.file = config.rulesFile().map(Path::of).orElse(null);
        this.rules = file == null ? TriageRules.builtIn() : TriageRules.load(file);
        this.loadedAt = file == null ? null : modified();
    }

    public TriageRules rules() {
        if (file != null) {
            FileTime now = modified();
            if (now != null && !now.equals(loadedAt)) {
                synchronized (this) {
                    if (!now.equals(loadedAt)) {
                        try {
                            rules = TriageRules.load(file);
                            LOG.infof("Triage rules reloaded from %s", file);
                        } catch (RuntimeException e) {
                            LOG.errorf("Triage rules in %s are invalid, the previous ones stay in force: %s", file,
                                    e.getMessage());
                        }
                        loadedAt = now;
                    }
                }
            }
        }
        return rules;
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            LOG.warnf("Triage rules file %s cannot be read: %s", file, e.getMessage());
            return loadedAt;
        }
    }

}
