package com.esii.support.hub.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The SMDR line splitter, the record parser and the call assembler, without a database or a socket. */
class SmdrParsingTest {

    /** Avaya's own example: a call answered by E4750, then transferred to voicemail. */
    static final String AVAYA_1 = "2002/06/28 09:30:57,00:00:13,7,01707392200,I,299999,299999,,0,1000014160,1,E4750,"
            + "John Smith,T9002,LINE 1.2,11,0";
    static final String AVAYA_2 = "2002/06/28 09:30:57,00:00:21,0,01707392200,I,299999,299999,,0,1000014160,0,V9502,"
            + "VM Channel 2,T9002,LINE 1.2,0,0";
    static final String R11 = "2026/03/02 08:14:33,00:02:50,8,0664715717,I,0467100200,0467100200,4711-2026,0,1004002,0,"
            + "E205,Emma Faure,T9004,Line 1.4,12,3,0,n/a,,0.00,EUR,0.00,0,0,0.00,0.00%,U Xfd,,,192.168.42.10,1004002,"
            + "192.168.42.10,1004003,2026/03/02 08:17:31";

    static SmdrRecord parse(String line) {
        try {
            return SmdrParser.parse(line);
        } catch (SmdrParser.Malformed e) {
            throw new AssertionError(e.getMessage() + ": " + line);
        }
    }

    static String line(String start, String connected, int ring, String caller, String dir, String account,
            int internal, long callId, int cont, String p1, String p2, int hold) {
        return String.join(",", start, connected, String.valueOf(ring), caller, dir, "0467100200", "0467100200",
                account, String.valueOf(internal), String.valueOf(callId), String.valueOf(cont), p1, "Name " + p1, p2,
                "Name " + p2, String.valueOf(hold), "0");
    }

    @Test
    void allFieldsOfAnR11RecordAreReadByPosition() {
        SmdrRecord r = parse("\0\0" + R11 + "\r");
        assertEquals(LocalDateTime.of(2026, 3, 2, 8, 14, 33), r.callStart());
        assertEquals(170, r.connectedSeconds());
        assertEquals(8, r.ringSeconds());
        assertEquals("0664715717", r.caller());
        assertTrue(r.inbound());
        assertEquals("4711-2026", r.account());
        assertFalse(r.internal());
        assertEquals(1004002, r.callId());
        assertFalse(r.continuation());
        assertEquals(SmdrRecord.Device.Kind.EXTENSION, r.party1().kind());
        assertEquals("205", r.party1().extension());
        assertEquals("Emma Faure", r.party1Name());
        assertEquals(SmdrRecord.Device.Kind.TRUNK, r.party2().kind());
        assertEquals(12, r.holdSeconds());
        assertEquals(3, r.parkSeconds());
        assertEquals("U Xfd", r.externalTargetingCause());
        assertEquals(R11, r.line(), "stored without the NUL bytes and the line end");
    }

    @ParameterizedTest(name = "{index}: {1}")
    @CsvSource(delimiter = '|', value = {
            "E201|EXTENSION", "T9001|TRUNK", "V9501|VOICEMAIL", "V9549|VOICEMAIL", "V9551|CONFERENCE",
            "V9599|CONFERENCE", "V12|OTHER", "Eabc|OTHER", "X1|OTHER", "''|NONE" })
    void devicesAreKnownByTheirPrefix(String field, SmdrRecord.Device.Kind kind) {
        assertEquals(kind, SmdrRecord.Device.of(field).kind());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "IP Office SMDR restarted|1 fields, at least 17 expected (up to Park Time)",
            "2026/03/03 10:00:00,00:01:00,5,0612345678,I,4000|6 fields, at least 17 expected (up to Park Time)",
            "2026/02/30 10:00:00,00:01:00,5,06,I,1,1,,0,1009999,0,E201,A,T9001,L,0,0|Call Start '2026/02/30 10:00:00' is not YYYY/MM/DD HH:MM:SS",
            "2026/03/04 11:00:00,00:01:00,5,06,X,1,1,,0,1009997,0,E201,A,T9001,L,0,0|Direction 'X' is neither I nor O",
            "2026/03/05 12:00:00,00:01:00,five,06,I,1,1,,0,1009995,0,E201,A,T9001,L,0,0|Ring Time 'five' is not a number of seconds",
            "2026/03/05 12:30:00,1:00,5,06,I,1,1,,0,1009993,0,E201,A,T9001,L,0,0|Connected Time '1:00' is not HH:MM:SS",
            "2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,0,10099x3,0,E201,A,T9001,L,0,0|Call ID '10099x3' is not a number",
            "2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,2,1009993,0,E201,A,T9001,L,0,0|Is Internal '2' is neither 0 nor 1",
            "2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,0,1009993,,E201,A,T9001,L,0,0|Continuation '' is neither 0 nor 1",
            "2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,0,1009993,0,E201,A,T9001,L,-4,0|Hold Time '-4' is not a number of seconds",
            "2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,0,1009993,0,E2\u000701,A,T9001,L,0,0|control character U+0007 at position 56" })
    void aMalformedLineSaysWhy(String line, String reason) {
        SmdrParser.Malformed e = assertThrows(SmdrParser.Malformed.class, () -> SmdrParser.parse(line));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void emptyHoldAndParkTimesAreZero() {
        SmdrRecord r = parse("2026/03/05 12:30:00,00:01:00,5,06,I,1,1,,0,1009993,0,E201,A,T9001,L,,");
        assertEquals(0, r.holdSeconds());
        assertEquals(0, r.parkSeconds());
    }

    // ---- the line splitter

    static List<SmdrLineSplitter.Line> split(SmdrLineSplitter s, byte[] bytes, int chunk) {
        List<SmdrLineSplitter.Line> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            out.addAll(s.feed(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        return out;
    }

    @Test
    void linesAreWholeWhateverTheChunksNulBytesAndLineEnds() {
        byte[] stream = ("\0\0\0" + AVAYA_1 + "\r\n\r\n" + AVAYA_2 + "\n\0" + R11 + "\r").getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] { 1, 2, 7, 64, stream.length }) {
            SmdrLineSplitter s = new SmdrLineSplitter(4096);
            List<SmdrLineSplitter.Line> lines = split(s, stream, chunk);
            assertEquals(List.of(AVAYA_1, AVAYA_2, R11), lines.stream().map(SmdrLineSplitter.Line::text).toList(),
                    "chunks of " + chunk);
            assertNull(s.rest());
        }
    }

    @Test
    void aLineCutByTheConnectionIsWhatRemains() {
        SmdrLineSplitter s = new SmdrLineSplitter(4096);
        byte[] bytes = (AVAYA_1 + "\n" + AVAYA_2.substring(0, 30)).getBytes(StandardCharsets.UTF_8);
        assertEquals(1, s.feed(bytes, 0, bytes.length).size());
        assertEquals(30, s.pending());
        assertEquals(AVAYA_2.substring(0, 30), s.rest().text());
    }

    @Test
    void aRunawayLineIsCutFlaggedAndTheNextLineIsWhole() {
        SmdrLineSplitter s = new SmdrLineSplitter(200);
        byte[] bytes = ("x".repeat(5000) + "\n" + AVAYA_1 + "\n").getBytes(StandardCharsets.UTF_8);
        List<SmdrLineSplitter.Line> lines = split(s, bytes, 333);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).tooLong());
        assertEquals(200, lines.get(0).text().length());
        assertEquals(5000, lines.get(0).bytes());
        assertFalse(lines.get(1).tooLong());
        assertEquals(AVAYA_1, lines.get(1).text());
        assertEquals(AVAYA_1.substring(0, 100), new SmdrLineSplitter(100).feed((AVAYA_1 + "\n").getBytes(), 0,
                AVAYA_1.length() + 1).get(0).text(), "the record itself is longer than 100: cut too");
    }

    @Test
    void namesAreUtf8OrElseWindows1252() {
        assertEquals("Hélène", SmdrLineSplitter.decode("Hélène".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Hélène", SmdrLineSplitter.decode("Hélène".getBytes(java.nio.charset.Charset.forName("windows-1252"))));
    }

    // ---- the call assembler

    static PhoneCall call(String... lines) {
        List<SmdrRecord> records = new ArrayList<>();
        for (String l : lines) {
            records.add(parse(l));
        }
        return CallAssembler.assemble(records);
    }

    static final String T0 = "2026/03/02 10:00:00";

    @Test
    void avayasExampleIsAnAnsweredCallTransferredToVoicemail() {
        PhoneCall c = call(AVAYA_1, AVAYA_2);
        assertEquals(PhoneCall.Direction.INBOUND, c.direction());
        assertEquals(PhoneCall.Outcome.ANSWERED, c.outcome());
        assertEquals(7, c.answerSeconds());
        assertEquals(13, c.talkSeconds(), "voicemail time is no talk");
        assertEquals(11, c.holdSeconds());
        assertEquals("4750", c.agentExtension());
        assertEquals("John Smith", c.agentName());
        assertEquals(2, c.segments());
        assertTrue(c.complete());
        assertEquals("01707392200", c.customerNumber());
    }

    @Test
    void aCallThatRangAndWasNeverConnectedIsAbandoned() {
        PhoneCall c = call(line(T0, "00:00:00", 34, "0612345678", "I", "", 0, 1000001, 0, "E201", "T9001", 0));
        assertEquals(PhoneCall.Outcome.ABANDONED, c.outcome());
        assertNull(c.answerSeconds());
        assertEquals(34, c.ringSeconds());
        assertNull(c.agentExtension(), "nobody answered");
    }

    @Test
    void aCallNobodyTookThatReachedVoicemailIsVoicemail() {
        PhoneCall c = call(line(T0, "00:00:40", 20, "0612345678", "I", "", 0, 1000001, 0, "V9501", "T9001", 0));
        assertEquals(PhoneCall.Outcome.VOICEMAIL, c.outcome());
        assertEquals(0, c.talkSeconds());
        assertEquals(20, c.ringSeconds());
    }

    @Test
    void aTransferKeepsTheFirstAgentTheFirstWaitAndAddsTalkAndHold() {
        PhoneCall c = call(
                line(T0, "00:02:00", 6, "0612345678", "I", "", 0, 1000001, 1, "E201", "T9001", 20),
                line(T0, "00:05:00", 4, "0612345678", "I", "", 0, 1000001, 1, "E203", "T9001", 10),
                line(T0, "00:01:00", 3, "0612345678", "I", "SUP-2026-000123", 0, 1000001, 0, "E204", "T9001", 0));
        assertEquals(PhoneCall.Outcome.ANSWERED, c.outcome());
        assertEquals(6, c.answerSeconds());
        assertEquals(13, c.ringSeconds());
        assertEquals(480, c.talkSeconds());
        assertEquals(30, c.holdSeconds());
        assertEquals("201", c.agentExtension());
        assertEquals("SUP-2026-000123", c.accountCode());
        assertEquals(3, c.segments());
    }

    @Test
    void aConferenceCountsAsTalk() {
        PhoneCall c = call(line(T0, "00:03:00", 5, "0612345678", "I", "", 0, 1000001, 1, "E202", "T9002", 0),
                line(T0, "00:10:00", 0, "0612345678", "I", "", 0, 1000001, 0, "V9551", "T9002", 0));
        assertEquals(PhoneCall.Outcome.ANSWERED, c.outcome());
        assertEquals(780, c.talkSeconds());
        assertEquals("202", c.agentExtension());
    }

    @Test
    void theLastAccountCodeEnteredIsTheCallsOne() {
        PhoneCall c = call(line(T0, "00:03:00", 5, "0612345678", "I", "4711-2026", 0, 1000001, 1, "E202", "T9002", 0),
                line(T0, "00:01:00", 0, "0612345678", "I", "", 0, 1000001, 0, "E203", "T9002", 0));
        assertEquals("4711-2026", c.accountCode());
    }

    @Test
    void outboundAndInternalCallsAreNotCustomerCallsIn() {
        PhoneCall out = call(line(T0, "00:04:00", 12, "201", "O", "", 0, 1000001, 0, "E201", "T9003", 0));
        assertEquals(PhoneCall.Direction.OUTBOUND, out.direction());
        assertEquals(PhoneCall.Outcome.ANSWERED, out.outcome());
        assertEquals("201", out.agentExtension());
        assertEquals("0467100200", out.customerNumber());
        PhoneCall missed = call(line(T0, "00:00:00", 30, "201", "O", "", 0, 1000003, 0, "E201", "T9003", 0));
        assertEquals(PhoneCall.Outcome.NOT_ANSWERED, missed.outcome());
        PhoneCall internal = call(line(T0, "00:01:00", 2, "201", "O", "", 1, 1000005, 0, "E201", "E203", 0));
        assertEquals(PhoneCall.Direction.INTERNAL, internal.direction());
        assertNull(internal.customerNumber());
    }

    @Test
    void aCallWithoutItsFinalSegmentIsIncomplete() {
        assertFalse(call(line(T0, "00:03:00", 5, "06", "I", "", 0, 1000001, 1, "E202", "T9002", 0)).complete());
    }
}
