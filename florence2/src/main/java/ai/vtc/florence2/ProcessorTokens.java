package ai.vtc.florence2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The 1,024 special tokens Florence-2's processor adds to the BART tokenizer when it is constructed ({@code
 * Florence2Processor.__init__}): {@code <od>}, {@code </od>}, {@code <ocr>}, {@code </ocr>}, {@code <loc_0>} ...
 * {@code <loc_999>}, then the caption, grounding, segmentation and proposal tags up to {@code <and>}. Microsoft's
 * {@code tokenizer.json} lacks them, so a model would read {@code <loc_52>} as five word pieces; they are added here in
 * the processor's order with the ids the {@code tokenizers} library gives (after the base vocabulary: 50265 ... 51288
 * for BART's 50,265 tokens, {@code text_config.vocab_size} 51,289). A token the file already has keeps its id.
 */
public final class ProcessorTokens {

    /** The number of {@code <loc_N>} tokens: locations are quantized into this many bins per axis. */
    public static final int LOCATION_BINS = 1000;

    private static final List<String> TOKENS = tokens();

    private ProcessorTokens() {}

    private static List<String> tokens() {
        List<String> tokens = new ArrayList<>(List.of("<od>", "</od>", "<ocr>", "</ocr>"));
        IntStream.range(0, LOCATION_BINS).forEach(i -> tokens.add("<loc_" + i + ">"));
        tokens.addAll(List.of(
                "<cap>",
                "</cap>",
                "<ncap>",
                "</ncap>",
                "<dcap>",
                "</dcap>",
                "<grounding>",
                "</grounding>",
                "<seg>",
                "</seg>",
                "<sep>",
                "<region_cap>",
                "</region_cap>",
                "<region_to_desciption>", // sic, as the processor spells it
                "</region_to_desciption>",
                "<proposal>",
                "</proposal>",
                "<poly>",
                "</poly>",
                "<and>"));
        return Collections.unmodifiableList(tokens);
    }

    /** The tokens in the order the processor adds them. */
    public static List<String> all() {
        return TOKENS;
    }

    /**
     * Adds to a parsed {@code tokenizer.json} the processor tokens it lacks, as special added tokens, and tells
     * whether it changed. A new token's id follows {@code tokenizers}' rule: the base vocabulary's size, or one more
     * than the largest added id when that is already beyond it. A token of the base vocabulary that is not yet an
     * added token is added with its vocabulary id.
     */
    public static boolean addMissing(ObjectNode tokenizerJson) {
        JsonNode model = tokenizerJson.path("model");
        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject()) {
            throw new IllegalArgumentException("tokenizer.json has no token -> id vocabulary (model.vocab); model type "
                    + model.path("type").asText("unknown") + " is not supported");
        }
        JsonNode addedNode = tokenizerJson.path("added_tokens");
        ArrayNode added = addedNode.isArray() ? (ArrayNode) addedNode : tokenizerJson.putArray("added_tokens");
        Map<String, Integer> addedIds = new HashMap<>();
        long largestAdded = -1;
        for (JsonNode token : added) {
            addedIds.put(token.path("content").asText(), token.path("id").asInt());
            largestAdded = Math.max(largestAdded, token.path("id").asLong());
        }
        long vocabSize = vocab.size();
        boolean changed = false;
        for (String token : TOKENS) {
            if (addedIds.containsKey(token)) {
                continue;
            }
            long id;
            if (vocab.has(token)) {
                id = vocab.get(token).asLong();
            } else if (largestAdded < 0) {
                id = vocabSize;
            } else {
                id = largestAdded >= vocabSize || vocabSize == 0 ? largestAdded + 1 : vocabSize;
            }
            ObjectNode entry = added.addObject();
            entry.put("id", id).put("content", token).put("single_word", false).put("lstrip", false);
            entry.put("rstrip", false).put("normalized", false).put("special", true);
            addedIds.put(token, (int) id);
            largestAdded = Math.max(largestAdded, id);
            changed = true;
        }
        return changed;
    }
}
