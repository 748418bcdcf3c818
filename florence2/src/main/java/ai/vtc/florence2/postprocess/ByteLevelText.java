package ai.vtc.florence2.postprocess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The text of one vocabulary token of a byte-level BPE tokenizer (GPT-2's and BART's {@code ByteLevel} decoder, what
 * {@code convert_tokens_to_string([token])} returns): each symbol stands for one byte ({@code Ġ} for a space), the
 * bytes are UTF-8, and a token with a symbol outside the byte alphabet is its own text.
 */
final class ByteLevelText {

    private static final Map<Integer, Integer> BYTE_OF_SYMBOL = byteOfSymbol();

    private ByteLevelText() {}

    /** GPT-2's {@code bytes_to_unicode}, inverted: printable bytes are themselves, the rest are 256, 257, ... */
    private static Map<Integer, Integer> byteOfSymbol() {
        Map<Integer, Integer> map = new HashMap<>();
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map.put(printable ? b : next++, b);
        }
        return map;
    }

    static String decode(String token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i = token.offsetByCodePoints(i, 1)) {
            Integer b = BYTE_OF_SYMBOL.get(token.codePointAt(i));
            if (b == null) {
                return token;
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
