package com.esii.support.hub.phone;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the bytes of one TCP connection into lines, whatever the chunks they arrive in: a line ends at LF or CR
 * (CRLF gives one line), NUL bytes are dropped wherever they are (IP Office may send some before a record), blank
 * lines are skipped. A line longer than the limit is cut there and flagged, and reading goes on at the next line
 * end, so one runaway line never costs the records after it. Text is UTF-8, or windows-1252 when it is not valid
 * UTF-8 (names typed on an older system). One instance per connection; not thread-safe.
 */
public final class SmdrLineSplitter {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** A line read; {@code tooLong} when it was cut at the limit ({@code text} is then its beginning). */
    public record Line(String text, boolean tooLong, int bytes) {
    }

    private final int maxLength;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private int overflow;

    public SmdrLineSplitter(int maxLength) {
        this.maxLength = maxLength;
    }

    /** The complete lines these bytes end; the rest waits for the next chunk. */
    public List<Line> feed(byte[] buf, int off, int len) {
        List<Line> out = new ArrayList<>();
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                emit(out);
            } else if (b == 0) {
                continue;
            } else if (current.size() < maxLength) {
                current.write(b);
            } else {
                overflow++;
            }
        }
        return out;
    }

    /** What the connection left unfinished when it closed (empty when it ended on a line end). */
    public Line rest() {
        List<Line> out = new ArrayList<>(1);
        emit(out);
        return out.isEmpty() ? null : out.get(0);
    }

    /** Bytes waiting for their line end. */
    public int pending() {
        return current.size() + overflow;
    }

    private void emit(List<Line> out) {
        if (current.size() > 0) {
            byte[] bytes = current.toByteArray();
            String text = decode(bytes);
            if (overflow > 0 || !text.isBlank()) {
                out.add(new Line(text, overflow > 0, bytes.length + overflow));
            }
        }
        current.reset();
        overflow = 0;
    }

    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, WINDOWS_1252);
        }
    }
}
