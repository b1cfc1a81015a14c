package com.esii.support.hub.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.restassured.specification.RequestSpecification;

/**
 * A multipart/form-data body as a browser sends it: text fields in UTF-8 with no Content-Type of their own,
 * files with a file name and a type.
 */
public final class BrowserForm {
    private final String boundary = "----hubform" + UUID.randomUUID().toString().replace("-", "");
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public BrowserForm field(String name, String value) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        write(value);
        write("\r\n");
        return this;
    }

    public BrowserForm file(String name, String filename, String contentType, byte[] content) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    public RequestSpecification into(RequestSpecification spec) {
        write("--" + boundary + "--\r\n");
        return spec.contentType("multipart/form-data; boundary=" + boundary).body(body.toByteArray());
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
