package com.esii.support.hub.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret given as a setting (an environment variable) or as a mounted file (a Kubernetes Secret). A file is read
 * again when it changes (its modification time or size), so a rotated Secret is used from the next token on without
 * a restart. The value lives in memory only; {@link #toString()} never shows it.
 */
public final class SecretSource {

    private final String value;
    private final Path file;
    /** The setting an operator has to look at when the secret is wrong or missing. */
    private final String setting;
    private FileTime readAt;
    private long readSize = -1;
    private byte[] content;

    private SecretSource(String value, Path file, String setting) {
        this.value = value;
        this.file = file;
        this.setting = setting;
    }

    /**
     * The file when one is set, else the value; {@code setting} names them both for messages (e.g.
     * {@code hub.mail.oauth2.client-secret (-file)}).
     */
    public static SecretSource of(Optional<String> value, Optional<String> file, String setting) {
        Optional<String> f = file.map(String::strip).filter(s -> !s.isEmpty());
        if (f.isPresent()) {
            return new SecretSource(null, Path.of(f.get()), setting);
        }
        return new SecretSource(value.filter(s -> !s.isEmpty()).orElse(null), null, setting);
    }

    public boolean present() {
        return value != null || file != null;
    }

    public String setting() {
        return setting;
    }

    /** The file it is read from, if it is a file. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The secret as text (a file's content without the line break a Secret often ends with). */
    public String text() {
        return value != null ? value : new String(bytes(), StandardCharsets.UTF_8).strip();
    }

    /** The file's content as it is now (read again only when it changed). */
    public synchronized byte[] bytes() {
        if (file == null) {
            return Objects.requireNonNull(value, setting + " is not set").getBytes(StandardCharsets.UTF_8);
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (content == null || !modified.equals(readAt) || size != readSize) {
                content = Files.readAllBytes(file);
                readAt = modified;
                readSize = size;
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of " + setting + " (" + file + "): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * What identifies the secret's current version without showing it: the file's time and size, or a constant for a
     * value (which changes only with a restart).
     */
    public synchronized String version() {
        if (file == null) {
            return "value";
        }
        try {
            return Files.getLastModifiedTime(file) + "/" + Files.size(file);
        } catch (IOException e) {
            return "unreadable";
        }
    }

    @Override
    public String toString() {
        return file != null ? setting + " (file " + file + ")" : setting + (value != null ? " (set)" : " (unset)");
    }
}
