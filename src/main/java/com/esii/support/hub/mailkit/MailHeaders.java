package com.esii.support.hub.mailkit;

import java.util.regex.Pattern;

/** Makes customer input safe to put in a mail header. */
public final class MailHeaders {

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

    private MailHeaders() {
    }

    /** Replaces every control character (CR and LF included) with a space and bounds the length. */
    public static String clean(String value, int max) {
        if (value == null) {
            return "";
        }
        String s = CONTROL.matcher(value).replaceAll(" ").strip();
        return s.length() <= max ? s : s.substring(0, max);
    }
}
