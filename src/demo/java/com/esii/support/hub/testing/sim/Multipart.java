package com.esii.support.hub.testing.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads a multipart/form-data body (the JSM temporary attachments). */
final class Multipart {

    record Part(String name, String filename, String contentType, byte[] content) {
    }

    private Multipart() {
    }

    static List<Part> parse(byte[] body, String boundary) {
        List<Part> out = new ArrayList<>();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // the closing delimiter
            }
            start += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headEnd < 0 || headEnd > next) {
                break;
            }
            String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
            int contentEnd = next - 2; // CRLF before the next delimiter
            byte[] content = Arrays.copyOfRange(body, headEnd + 4, Math.max(headEnd + 4, contentEnd));
            String name = null;
            String filename = null;
            String type = "application/octet-stream";
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    name = param(line, "name");
                    filename = param(line, "filename");
                } else if (lower.startsWith("content-type:")) {
                    type = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            out.add(new Part(name, filename, type, content));
            at = next;
        }
        return out;
    }

    private static String param(String line, String name) {
        for (String p : line.split(";")) {
            String s = p.strip();
            if (s.toLowerCase(Locale.ROOT).startsWith(name + "=")) {
                String v = s.substring(name.length() + 1).strip();
                return v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2 ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
