package com.esii.support.hub.phone;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one SMDR line: unquoted comma-separated fields by position, at least the 17 of the oldest format (up to
 * Park Time); later fields (charges, targeting, R11 server IPs and unique ids) are optional. Leading NUL bytes
 * (seen by some receivers) and surrounding blanks are ignored. A line that is not a record raises
 * {@link Malformed} with a reason an operator can act on.
 */
public final class SmdrParser {

    /** Fields up to Park Time (the oldest IP Office format). */
    public static final int MIN_FIELDS = 17;
    /** More than this is no SMDR record (35 fields in R11, some room for later releases). */
    public static final int MAX_FIELDS = 60;

    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,4}):([0-5]\\d):([0-5]\\d)");

    private SmdrParser() {
    }

    /** The line is not an SMDR record. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The line without NUL bytes, line end and surrounding blanks: what is stored and compared. */
    public static String normalise(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.replace("\0", "").strip();
    }

    public static SmdrRecord parse(String raw) throws Malformed {
        String line = normalise(raw);
        if (line.isEmpty()) {
            throw new Malformed("empty line");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c)) {
                throw new Malformed(String.format("control character U+%04X at position %d", (int) c, i + 1));
            }
        }
        String[] f = line.split(",", -1);
        if (f.length < MIN_FIELDS) {
            throw new Malformed(f.length + " fields, at least " + MIN_FIELDS + " expected (up to Park Time)");
        }
        if (f.length > MAX_FIELDS) {
            throw new Malformed(f.length + " fields, at most " + MAX_FIELDS + " expected");
        }
        LocalDateTime start;
        try {
            start = LocalDateTime.parse(f[0].strip(), START);
        } catch (DateTimeParseException e) {
            throw new Malformed("Call Start '" + shorten(f[0]) + "' is not YYYY/MM/DD HH:MM:SS");
        }
        int connected = duration(f[1], "Connected Time");
        int ring = seconds(f[2], "Ring Time", false);
        String direction = f[4].strip();
        if (!direction.equals("I") && !direction.equals("O")) {
            throw new Malformed("Direction '" + shorten(f[4]) + "' is neither I nor O");
        }
        boolean internal = flag(f[8], "Is Internal");
        long callId;
        try {
            callId = Long.parseLong(f[9].strip());
        } catch (NumberFormatException e) {
            throw new Malformed("Call ID '" + shorten(f[9]) + "' is not a number");
        }
        if (callId < 0) {
            throw new Malformed("Call ID '" + shorten(f[9]) + "' is negative");
        }
        boolean continuation = flag(f[10], "Continuation");
        int hold = seconds(f[15], "Hold Time", true);
        int park = seconds(f[16], "Park Time", true);
        String targeting = f.length > 27 ? f[27].strip() : "";
        return new SmdrRecord(start, connected, ring, f[3].strip(), direction.equals("I"), f[5].strip(), f[6].strip(),
                f[7].strip(), internal, callId, continuation, SmdrRecord.Device.of(f[11]), f[12].strip(),
                SmdrRecord.Device.of(f[13]), f[14].strip(), hold, park, targeting, line);
    }

    private static int duration(String field, String name) throws Malformed {
        Matcher m = DURATION.matcher(field.strip());
        if (!m.matches()) {
            throw new Malformed(name + " '" + shorten(field) + "' is not HH:MM:SS");
        }
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
    }

    private static int seconds(String field, String name, boolean emptyIsZero) throws Malformed {
        String s = field.strip();
        if (s.isEmpty() && emptyIsZero) {
            return 0;
        }
        if (s.isEmpty() || s.length() > 7 || !s.chars().allMatch(Character::isDigit)) {
            throw new Malformed(name + " '" + shorten(field) + "' is not a number of seconds");
        }
        return Integer.parseInt(s);
    }

    private static boolean flag(String field, String name) throws Malformed {
        switch (field.strip()) {
            case "0":
                return false;
            case "1":
                return true;
            default:
                throw new Malformed(name + " '" + shorten(field) + "' is neither 0 nor 1");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}
