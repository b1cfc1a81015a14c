package com.esii.support.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No class of another package named inline (issue 24): a tie between packages shows in the import block, where a
 * reader and the layer rules look for it. Comments may name anything.
 */
class InlineNamesTest {

    static final Pattern QUALIFIED = Pattern.compile("com\\.esii\\.support\\.hub\\.([a-z]+)\\.[A-Z]");

    static List<String> inlineNames(Path file, String text) {
        Path rel = Path.of("src/main/java/com/esii/support/hub").relativize(file);
        String own = rel.getName(0).toString();
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("import ") || l.startsWith("package ") || l.startsWith("*") || l.startsWith("/*")
                    || l.startsWith("//")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(l);
            while (m.find()) {
                if (!m.group(1).equals(own)) {
                    found.add(rel + ":" + (i + 1) + ": " + l);
                }
            }
        }
        return found;
    }

    @Test
    void noClassOfAnotherPackageIsNamedInline() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/com/esii/support/hub"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                found.addAll(inlineNames(f, Files.readString(f)));
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theCheckFindsOne() {
        Path f = Path.of("src/main/java/com/esii/support/hub/oncall/X.java");
        assertTrue(inlineNames(f, "class X {\n    com.esii.support.hub.jira.JiraOutbox j;\n}").size() == 1);
        assertTrue(inlineNames(f, "import com.esii.support.hub.jira.JiraOutbox;\n/** com.esii.support.hub.jira.A */\n"
                + "class X { com.esii.support.hub.oncall.Y y; }").isEmpty());
    }
}
