package ai.vtc.florence2;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.nn.Tensors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Florence-2 tokenizer ({@code tokenizer.json}, BART byte-level BPE with added tokens such as {@code <loc_*>} and
 * the task tokens) through DJL's Hugging Face tokenizers. Text is encoded with {@code <s>} ... {@code </s>} and
 * right-padded with the pad token for batches; decoding drops special tokens.
 */
public final class Florence2Tokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "true",
            "padding", "false",
            "truncation", "false",
            "maxLength", "100000");

    private final HuggingFaceTokenizer tokenizer;
    private final byte[] json;
    private final long padId;

    private Florence2Tokenizer(byte[] json, long padId) {
        try (InputStream in = new ByteArrayInputStream(json)) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.json = json;
        this.padId = padId;
    }

    /** Loads a {@code tokenizer.json}; {@code padId} is the model's {@code pad_token_id}. */
    public static Florence2Tokenizer load(Path tokenizerJson, long padId) {
        try {
            return new Florence2Tokenizer(Files.readAllBytes(tokenizerJson), padId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerJson, e);
        }
    }

    /** The small English tokenizer of the tiny demo model (1,167 tokens, pad id 1). */
    public static Florence2Tokenizer tinyDemo() {
        try (InputStream in = Florence2Tokenizer.class.getResourceAsStream("tiny-tokenizer.json")) {
            return new Florence2Tokenizer(Objects.requireNonNull(in).readAllBytes(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token ids of a batch, right-padded: ids [B, T] and the 0/1 attention mask [B, T]. */
    public record Batch(long[][] ids, long[][] attentionMask) {

        public NDArray ids(NDManager manager) {
            return Tensors.longs(manager, ids);
        }

        public NDArray attentionMask(NDManager manager) {
            return Tensors.longs(manager, attentionMask);
        }

        public int size() {
            return ids.length;
        }
    }

    /** One text with {@code <s>} and {@code </s>}. */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** Texts as a right-padded batch. */
    public Batch encode(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int width =
                Arrays.stream(encodings).mapToInt(e -> e.getIds().length).max().orElse(0);
        long[][] ids = new long[texts.size()][width];
        long[][] mask = new long[texts.size()][width];
        for (int i = 0; i < encodings.length; i++) {
            long[] row = encodings[i].getIds();
            Arrays.fill(ids[i], padId);
            System.arraycopy(row, 0, ids[i], 0, row.length);
            Arrays.fill(mask[i], 0, row.length, 1L);
        }
        return new Batch(ids, mask);
    }

    /** Ids to text without special tokens (start, pad, eos, task tokens), trimmed. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true).trim();
    }

    /** Ids to text keeping special tokens (for inspection). */
    public String decodeRaw(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    public String[] tokens(String text) {
        return tokenizer.encode(text).getTokens();
    }

    /** Writes the tokenizer.json this tokenizer was loaded from. */
    public void save(Path tokenizerJson) {
        try {
            Files.write(tokenizerJson, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tokenizerJson, e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
