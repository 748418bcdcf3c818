package ai.vtc.florence2;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.nn.Tensors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Florence-2 tokenizer ({@code tokenizer.json}, BART byte-level BPE) through DJL's Hugging Face tokenizers, with the
 * special tokens Florence-2's processor adds ({@link ProcessorTokens}: {@code <loc_*>}, {@code <poly>}, ...) added
 * when the file lacks them, as the processor does. Text is encoded with {@code <s>} ... {@code </s>} and right-padded
 * with the pad token for batches; decoding drops special tokens, {@link #decodeRaw} keeps them (the text the
 * processor's post-processing reads).
 */
public final class Florence2Tokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "true",
            "padding", "false",
            "truncation", "false",
            "maxLength", "100000");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final byte[] json;
    private final long padId;
    private final String[] tokenOfId;
    private final Set<String> specialTokens = new HashSet<>();

    private Florence2Tokenizer(byte[] json, long padId) {
        ObjectNode effective;
        try {
            effective = (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("tokenizer.json is not a JSON object: " + e.getMessage(), e);
        }
        try (InputStream in = new ByteArrayInputStream(
                ProcessorTokens.addMissing(effective) ? JSON.writeValueAsBytes(effective) : json)) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.json = json;
        this.padId = padId;
        this.tokenOfId = tokensById(effective, specialTokens);
    }

    /** id -> token string of the vocabulary and the added tokens; the special ones go into {@code special}. */
    private static String[] tokensById(ObjectNode tokenizerJson, Set<String> special) {
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        JsonNode added = tokenizerJson.path("added_tokens");
        int size = 0;
        for (JsonNode id : vocab) {
            size = Math.max(size, id.asInt() + 1);
        }
        for (JsonNode token : added) {
            size = Math.max(size, token.path("id").asInt() + 1);
        }
        String[] tokens = new String[size];
        vocab.fields().forEachRemaining(e -> tokens[e.getValue().asInt()] = e.getKey());
        for (JsonNode token : added) {
            tokens[token.path("id").asInt()] = token.path("content").asText();
            if (token.path("special").asBoolean()) {
                special.add(token.path("content").asText());
            }
        }
        return tokens;
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

    /** The vocabulary's token strings of ids ({@code convert_ids_to_tokens}: byte-level symbols, e.g. "Ġcar"). */
    public List<String> idsToTokens(long[] ids) {
        return Arrays.stream(ids)
                .mapToObj(id -> {
                    if (id < 0 || id >= tokenOfId.length || tokenOfId[(int) id] == null) {
                        throw new IllegalArgumentException(
                                "token id " + id + " is not in the tokenizer's vocabulary of " + tokenOfId.length);
                    }
                    return tokenOfId[(int) id];
                })
                .toList();
    }

    /** The special tokens ({@code all_special_tokens}): start, end, pad, unk, mask, task and processor tokens. */
    public Set<String> specialTokens() {
        return Set.copyOf(specialTokens);
    }

    /** The number of ids, base vocabulary and added tokens (one more than the largest id). */
    public int vocabularySize() {
        return tokenOfId.length;
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
