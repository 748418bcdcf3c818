package ai.vtc.contracts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of a submitted document. A lenient decoder (what a String request body gets) replaces a bad
 * byte with U+FFFD, so a Latin-1 file would be accepted with altered names; this one reports where the first bad
 * byte is, as a problem of the document.
 */
final class Utf8 {
    private Utf8() {}

    static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            throw new InvalidSweepException(
                    "",
                    String.format(
                            "the document is not UTF-8 text: byte 0x%02X at offset %d (line %d) is not valid UTF-8",
                            bytes[at] & 0xff, at, line(bytes, at)));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static int line(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
