package ai.vtc.florence2.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the small byte-level BPE {@code tokenizer.json} of the tiny demo model (same layout and special tokens as
 * Florence-2's BART tokenizer: {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3, the 256 byte symbols,
 * learned merges, then {@code <mask>} and the {@code <VQA>} task token). Merges are learned with the standard BPE
 * algorithm on a weighted word list: the words of short VQA questions and answers (colours, shapes, counts, yes/no,
 * positions) and a few hundred common English words; any other text still tokenizes, byte by byte.
 *
 * <p>Run: {@code java -cp ... ai.vtc.florence2.tools.TinyTokenizerBuilder
 * src/main/resources/ai/vtc/florence2/tiny-tokenizer.json}
 */
public final class TinyTokenizerBuilder {

    static final int MAX_MERGES = 1400;

    private static final String VQA_WORDS = "what color colour is are the a an of shape shapes object objects there "
            + "how many which where does do any in on at to image picture this that it its and or than more fewer "
            + "less most same different size big small large largest smallest left right top bottom above below "
            + "next middle center corner side number count total red green blue yellow orange purple white black "
            + "gray grey pink brown cyan magenta circle circles square squares triangle triangles rectangle "
            + "rectangles star stars ellipse ellipses diamond diamonds hexagon hexagons cross crosses line lines "
            + "dot dots yes no none zero one two three four five six seven eight nine ten 0 1 2 3 4 5 6 7 8 9 10 "
            + "11 12 colored coloured shown visible both all some each every only other background kind type";

    private static final String COMMON_WORDS = "the be to of and a in that have i it for not on with he as you do at "
            + "this but his by from they we say her she or will my one all would there their what so up out if "
            + "about who get which go me when make can like time no just him know take people into year your good "
            + "some could them see other than then now look only come its over think also back after use two how "
            + "our work first well way even new want because any these give day most us man woman child person "
            + "dog cat car bus train tree house room table chair bed food pizza plate cup water street road sign "
            + "sky grass snow field window door wall floor picture photo animal bird horse cow sheep elephant "
            + "bear zebra giraffe boy girl men women people player ball bat game tennis baseball frisbee kite "
            + "skateboard surfboard umbrella bag phone clock book laptop computer tv light bike motorcycle "
            + "airplane boat truck sitting standing holding wearing playing eating riding looking walking "
            + "has had was were been being am did does doing said made find here many much before very through "
            + "long little own old great high small large big right left still same another between under "
            + "while where why who whom whose each few more most such both those again off down near far "
            + "inside outside front behind around open closed full empty hot cold wet dry day night morning "
            + "evening sunny cloudy indoor outdoor made wood metal glass plastic paper stone hat shirt shoes "
            + "jacket dress glasses face hand hands head hair eyes mouth man's number letter word words "
            + "question answer describe describes detailed caption text object region point box";

    private TinyTokenizerBuilder() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/main/resources/ai/vtc/florence2/tiny-tokenizer.json");
        Files.writeString(out, build(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** The tokenizer.json text (deterministic). */
    public static String build() throws Exception {
        Map<String, Integer> wordCounts = new TreeMap<>();
        for (String w : VQA_WORDS.split(" ")) {
            wordCounts.merge(bytesToSymbols(" " + w), 100, Integer::sum);
            wordCounts.merge(bytesToSymbols(w), 30, Integer::sum);
        }
        for (String w : COMMON_WORDS.split(" ")) {
            wordCounts.merge(bytesToSymbols(" " + w), 10, Integer::sum);
        }
        for (String w : List.of("What", "How", "Is", "Are", "Which", "Where", "Does", "Do", "Can", "The", "There")) {
            wordCounts.merge(bytesToSymbols(w), 20, Integer::sum);
        }
        List<String> merges = learnMerges(wordCounts);

        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<s>", "<pad>", "</s>", "<unk>")) {
            vocab.put(special, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.putIfAbsent(String.valueOf(BYTE_TO_SYMBOL[b]), vocab.size());
        }
        for (String merge : merges) {
            vocab.putIfAbsent(merge.replace(" ", ""), vocab.size());
        }
        return json(vocab, merges);
    }

    private static List<String> learnMerges(Map<String, Integer> wordCounts) {
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
            words.add(symbols);
            counts.add(c);
        });
        List<String> merges = new ArrayList<>();
        while (merges.size() < MAX_MERGES) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<String> s = words.get(i);
                for (int j = 0; j + 1 < s.size(); j++) {
                    pairs.merge(s.get(j) + " " + s.get(j + 1), counts.get(i), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : new TreeMap<>(pairs).entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break;
            }
            merges.add(best);
            String left = best.substring(0, best.indexOf(' '));
            String right = best.substring(best.indexOf(' ') + 1);
            for (List<String> s : words) {
                for (int j = 0; j + 1 < s.size(); j++) {
                    if (s.get(j).equals(left) && s.get(j + 1).equals(right)) {
                        s.set(j, left + right);
                        s.remove(j + 1);
                    }
                }
            }
        }
        return merges;
    }

    private static String json(Map<String, Integer> vocab, List<String> merges) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        int maskId = vocab.size();
        int vqaId = maskId + 1;
        addToken(added, 0, "<s>", true);
        addToken(added, 1, "<pad>", true);
        addToken(added, 2, "</s>", true);
        addToken(added, 3, "<unk>", true);
        addToken(added, maskId, "<mask>", true).put("lstrip", true);
        addToken(added, vqaId, "<VQA>", true);
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "RobertaProcessing");
        post.putArray("sep").add("</s>").add(2);
        post.putArray("cls").add("<s>").add(0);
        post.put("trim_offsets", true).put("add_prefix_space", false);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        v.put("<mask>", maskId);
        v.put("<VQA>", vqaId);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        return mapper.writeValueAsString(root) + "\n";
    }

    private static ObjectNode addToken(ArrayNode added, int id, String content, boolean special) {
        ObjectNode t = added.addObject();
        t.put("id", id).put("content", content).put("single_word", false).put("lstrip", false);
        t.put("rstrip", false).put("normalized", !special).put("special", special);
        return t;
    }

    /** GPT-2's bytes_to_unicode table: printable bytes map to themselves, the others to U+0100 upwards. */
    private static final char[] BYTE_TO_SYMBOL = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_SYMBOL[b] = printable ? (char) b : (char) next++;
        }
    }

    private static String bytesToSymbols(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            sb.append(BYTE_TO_SYMBOL[b & 0xff]);
        }
        return sb.toString();
    }
}
