package com.esii.support.hub.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Checks a new ticket request field by field and names every bad field at once, so that the form can show each
 * error next to its field and the API can answer one problem listing them all.
 */
@ApplicationScoped
public class TicketValidator {

    public static final int SUBJECT_MAX = 255;
    public static final int NAME_MAX = 200;
    public static final int EMAIL_MAX = 254;

    // Letters, digits, dot, dash, underscore, plus: the local parts customers really use, without quotes or
    // comments, so that an address can never smuggle a header into a mail.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Pattern ACCESS_CODE = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final TicketConfig config;

    public TicketValidator(TicketConfig config) {
        this.config = config;
    }

    public void validate(NewTicket t) {
        List<InvalidParam> bad = new ArrayList<>();
        required(bad, "name", t.name(), NAME_MAX);
        email(bad, t.email());
        optional(bad, "company", t.company(), NAME_MAX);
        optional(bad, "product", t.product(), NAME_MAX);
        if (!isBlank(t.accessCode()) && !ACCESS_CODE.matcher(t.accessCode().trim()).matches()) {
            bad.add(new InvalidParam("accessCode", "must be letters, digits and dashes, at most 64"));
        }
        required(bad, "subject", t.subject(), SUBJECT_MAX);
        required(bad, "description", t.description(), config.ticket().descriptionMaxLength());
        if (!isBlank(t.impact()) && Criticality.fromCode(t.impact().trim()).isEmpty()) {
            bad.add(new InvalidParam("impact", "must be one of blocking, major, minor"));
        }
        if (!isBlank(t.kind()) && Kind.fromCode(t.kind().trim()).isEmpty()) {
            bad.add(new InvalidParam("kind", "must be one of problem, question"));
        }
        if (!isBlank(t.language()) && Language.fromCode(t.language()).isEmpty()) {
            bad.add(new InvalidParam("language", "must be one of fr, en, es"));
        }
        attachments(bad, t.attachments());
        if (!bad.isEmpty()) {
            throw new InvalidTicketException(bad);
        }
    }

    /**
     * Checks a customer's reply on their ticket (from the request page): a message or at least one file, the
     * message no longer than a description, the files under the same rules as a new ticket's.
     *
     * @throws InvalidTicketException naming {@code message} and {@code attachments[i]}
     */
    public void validateReply(String message, List<NewTicket.Upload> uploads) {
        List<InvalidParam> bad = new ArrayList<>();
        if (isBlank(message) && uploads.isEmpty()) {
            bad.add(new InvalidParam("message", "is required"));
        } else if (!isBlank(message) && message.trim().length() > config.ticket().descriptionMaxLength()) {
            bad.add(new InvalidParam("message", "must be at most " + config.ticket().descriptionMaxLength()
                    + " characters"));
        }
        attachments(bad, uploads);
        if (!bad.isEmpty()) {
            throw new InvalidTicketException(bad);
        }
    }

    /** Whether this is an address the hub would accept for a ticket. */
    public static boolean isValidEmail(String email) {
        List<InvalidParam> bad = new ArrayList<>();
        email(bad, email);
        return bad.isEmpty();
    }

    private void attachments(List<InvalidParam> bad, List<NewTicket.Upload> uploads) {
        TicketConfig.Attachments limits = config.attachments();
        if (uploads.size() > limits.maxCount()) {
            bad.add(new InvalidParam("attachments", "at most " + limits.maxCount() + " files"));
            return;
        }
        for (int i = 0; i < uploads.size(); i++) {
            NewTicket.Upload u = uploads.get(i);
            String field = "attachments[" + i + "]";
            if (isBlank(u.filename()) || u.filename().length() > 255 || hasControl(u.filename())) {
                bad.add(new InvalidParam(field, "needs a file name of at most 255 characters"));
                continue;
            }
            if (u.content() == null) {
                bad.add(new InvalidParam(field, "has no content"));
                continue;
            }
            if (u.content().length > limits.maxSize()) {
                bad.add(new InvalidParam(field, "'" + u.filename() + "' is too large (at most "
                        + limits.maxSize() / (1024 * 1024) + " MB)"));
            }
            if (refused(u.filename(), limits.refusedExtensions())) {
                bad.add(new InvalidParam(field, "'" + u.filename() + "' is a file type we do not accept"));
            }
        }
    }

    static boolean refused(String filename, List<String> refusedExtensions) {
        String name = filename.trim().toLowerCase(Locale.ROOT);
        // Trailing dots and spaces are ignored by Windows: "setup.exe." runs as setup.exe.
        while (name.endsWith(".") || name.endsWith(" ")) {
            name = name.substring(0, name.length() - 1);
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String ext = name.substring(dot + 1);
        return refusedExtensions.stream().anyMatch(r -> r.trim().equalsIgnoreCase(ext));
    }

    private static void email(List<InvalidParam> bad, String email) {
        if (isBlank(email)) {
            bad.add(new InvalidParam("email", "is required"));
            return;
        }
        String e = email.trim();
        if (e.length() > EMAIL_MAX || !EMAIL.matcher(e).matches() || e.contains("..")) {
            bad.add(new InvalidParam("email", "must be a valid email address"));
            return;
        }
        try {
            new InternetAddress(e, true).validate();
        } catch (AddressException ex) {
            bad.add(new InvalidParam("email", "must be a valid email address"));
        }
    }

    private static void required(List<InvalidParam> bad, String field, String value, int max) {
        if (isBlank(value)) {
            bad.add(new InvalidParam(field, "is required"));
        } else if (value.trim().length() > max) {
            bad.add(new InvalidParam(field, "must be at most " + max + " characters"));
        }
    }

    private static void optional(List<InvalidParam> bad, String field, String value, int max) {
        if (!isBlank(value) && value.trim().length() > max) {
            bad.add(new InvalidParam(field, "must be at most " + max + " characters"));
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
