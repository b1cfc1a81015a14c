package com.esii.support.hub.testing.sim;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON and Atlassian Document Format helpers of the simulator. */
final class Json {

    static final ObjectMapper M = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    static String write(Object o) {
        try {
            return M.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return text == null || text.isBlank() ? F.objectNode() : M.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    static String escape(String s) {
        String quoted = write(s);
        return quoted.substring(1, quoted.length() - 1);
    }

    /** A plain text as an ADF document: paragraphs on blank lines, hard breaks on single newlines. */
    static ObjectNode adf(String text) {
        ObjectNode doc = F.objectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String paragraph : (text == null ? "" : text).split("\\n\\s*\\n")) {
            ArrayNode inline = content.addObject().put("type", "paragraph").putArray("content");
            String[] lines = paragraph.split("\\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[i].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[i]);
                }
            }
        }
        return doc;
    }

    /** The text of a body that is ADF (v3) or a string (JSM, v2). */
    static String text(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return "";
        }
        if (body.isTextual()) {
            return body.asText();
        }
        StringBuilder b = new StringBuilder();
        adfText(body, b);
        return b.toString().strip();
    }

    private static void adfText(JsonNode n, StringBuilder b) {
        String type = n.path("type").asText("");
        if ("text".equals(type)) {
            b.append(n.path("text").asText(""));
        } else if ("hardBreak".equals(type)) {
            b.append('\n');
        }
        for (JsonNode c : n.path("content")) {
            adfText(c, b);
        }
        if ("paragraph".equals(type) || "heading".equals(type) || "listItem".equals(type)) {
            b.append("\n\n");
        }
    }
}
