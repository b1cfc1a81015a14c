package com.esii.support.hub.phone;

import java.time.LocalDateTime;

/**
 * One Avaya IP Office SMDR record: one segment of a call (fields by position, see
 * {@code shared/reference/erp-and-phone.md} section 9). Times are the phone system's local time.
 *
 * @param line the record as received, without NUL bytes, line end or surrounding blanks (the key of a replay)
 */
public record SmdrRecord(
        LocalDateTime callStart,
        int connectedSeconds,
        int ringSeconds,
        String caller,
        boolean inbound,
        String calledNumber,
        String dialledNumber,
        String account,
        boolean internal,
        long callId,
        boolean continuation,
        Device party1,
        String party1Name,
        Device party2,
        String party2Name,
        int holdSeconds,
        int parkSeconds,
        String externalTargetingCause,
        String line) {

    /** A party of a segment: {@code E<ext>} an extension, {@code T<9000+line>} a trunk, {@code V<95xx>} voicemail or
     * conference. */
    public record Device(Kind kind, String id) {

        public enum Kind {
            EXTENSION, TRUNK, VOICEMAIL, CONFERENCE, OTHER, NONE
        }

        public static Device of(String field) {
            String f = field == null ? "" : field.strip();
            if (f.isEmpty()) {
                return new Device(Kind.NONE, "");
            }
            String digits = f.substring(1);
            boolean numbered = !digits.isEmpty() && digits.chars().allMatch(Character::isDigit);
            switch (f.charAt(0)) {
                case 'E':
                    return new Device(numbered ? Kind.EXTENSION : Kind.OTHER, f);
                case 'T':
                    return new Device(numbered ? Kind.TRUNK : Kind.OTHER, f);
                case 'V':
                    if (numbered && digits.length() == 4) {
                        int n = Integer.parseInt(digits);
                        // V9500+channel: voicemail (and auto-attendant) channels; V9550+channel: conference channels
                        if (n >= 9500 && n < 9550) {
                            return new Device(Kind.VOICEMAIL, f);
                        }
                        if (n >= 9550 && n < 9600) {
                            return new Device(Kind.CONFERENCE, f);
                        }
                    }
                    return new Device(Kind.OTHER, f);
                default:
                    return new Device(Kind.OTHER, f);
            }
        }

        public boolean is(Kind k) {
            return kind == k;
        }

        /** The extension number of an {@code E} device. */
        public String extension() {
            return kind == Kind.EXTENSION ? id.substring(1) : null;
        }
    }

    /** The segment's extension (the agent's side), if one took part. */
    public Device extensionParty() {
        if (party1.is(Device.Kind.EXTENSION)) {
            return party1;
        }
        return party2.is(Device.Kind.EXTENSION) ? party2 : null;
    }

    public String extensionPartyName() {
        if (party1.is(Device.Kind.EXTENSION)) {
            return party1Name;
        }
        return party2.is(Device.Kind.EXTENSION) ? party2Name : null;
    }

    public boolean involves(Device.Kind kind) {
        return party1.is(kind) || party2.is(kind);
    }

    public boolean connected() {
        return connectedSeconds > 0;
    }
}
