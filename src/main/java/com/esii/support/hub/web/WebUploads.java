package com.esii.support.hub.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.InvalidParam;

/** Uploads from a browser's form. */
final class WebUploads {
    private WebUploads() {
    }

    static List<NewTicket.Upload> read(List<FileUpload> files) {
        List<NewTicket.Upload> uploads = new ArrayList<>();
        if (files == null) {
            return uploads;
        }
        for (FileUpload f : files) {
            // A browser sends an empty part when no file was chosen.
            if ((f.fileName() == null || f.fileName().isBlank()) && f.size() == 0) {
                continue;
            }
            try {
                uploads.add(new NewTicket.Upload(f.fileName(), f.contentType(),
                        Files.readAllBytes(f.uploadedFile())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return uploads;
    }

    static List<String> names(List<NewTicket.Upload> uploads) {
        return uploads.stream().map(NewTicket.Upload::filename).filter(n -> n != null && !n.isBlank()).toList();
    }

    /** "10 MB per file at most, 10 files at most; programs (.exe, .bat…) are refused." */
    static String limits(TicketConfig config, Map<String, String> m) {
        return m.get("attachments_limits")
                .replace("{mb}", String.valueOf(config.attachments().maxSize() / (1024 * 1024)))
                .replace("{count}", String.valueOf(config.attachments().maxCount()));
    }

    /**
     * "The files are too large to be received: 30 MB at most in all, 10 MB per file…": a request larger than
     * {@code maxRequestBytes} (quarkus.http.limits.max-body-size), whose files could not be received.
     */
    static String tooLarge(TicketConfig config, long maxRequestBytes, Map<String, String> m) {
        return m.get("err_attachments_too_large")
                .replace("{total}", String.valueOf(maxRequestBytes / (1024 * 1024)))
                .replace("{mb}", String.valueOf(config.attachments().maxSize() / (1024 * 1024)));
    }

    /** One clear sentence for a refused file. */
    static String error(InvalidParam p, Map<String, String> m) {
        String reason = p.reason();
        String name = reason.contains("'") ? reason.substring(reason.indexOf('\'') + 1, reason.lastIndexOf('\''))
                : "";
        if (reason.startsWith("at most")) {
            return m.get("err_attachments_count");
        }
        if (reason.contains("too large")) {
            return m.get("err_attachments_size").replace("{file}", name);
        }
        if (reason.contains("file type")) {
            return m.get("err_attachments_type").replace("{file}", name);
        }
        return m.get("err_attachments");
    }
}
