package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrialIdsTest {
    private static TrialSpec spec(double learningRate, Compression compression) {
        return new TrialSpec(
                "tiny-florence2",
                new DatasetRef("synth-vqa", "10pct", "val", "ab12"),
                compression,
                new TrainSettings("all", 1, null, 8, 1, learningRate, "adamw", 0.01, "linear", 0, 1.0, 50, List.of()),
                new EvalSettings(3, 8, 3, "<VQA>{question}", 16),
                0);
    }

    @Test
    void canonicalFormIsPinned() {
        String canonical = CanonicalJson.of(spec(5.0e-5, new Compression("avg_pool", 4, 2, true)));
        assertEquals(
                "{\"compression\":{\"factor\":4,\"mode\":\"avg_pool\",\"sorted\":true,\"stage\":2},"
                        + "\"dataset\":{\"eval_split\":\"val\",\"manifest_sha256\":\"ab12\",\"name\":\"synth-vqa\","
                        + "\"subset\":\"10pct\"},"
                        + "\"eval\":{\"batch_size\":16,\"max_new_tokens\":8,\"no_repeat_ngram_size\":3,"
                        + "\"num_beams\":3,\"prompt\":\"<VQA>{question}\"},"
                        + "\"model\":\"tiny-florence2\",\"seed\":0,"
                        + "\"train\":{\"batch_size\":8,\"checkpoint_every_steps\":50,\"compression_schedule\":[],"
                        + "\"epochs\":1,\"gradient_accumulation\":1,\"learning_rate\":0.00005,\"lr_schedule\":\"linear\","
                        + "\"max_grad_norm\":1,\"optimizer\":\"adamw\",\"trainable\":\"all\",\"warmup_steps\":0,"
                        + "\"weight_decay\":0.01}}",
                canonical);
        assertEquals(
                TrialIds.sha256Hex(canonical).substring(0, 16),
                TrialIds.of(spec(5.0e-5, new Compression("avg_pool", 4, 2, true))));
    }

    @Test
    void keyOrderWhitespaceAndNumberSpellingDoNotChangeTheCanonicalForm() {
        String a = "{\"b\": [1, 2.50, 5e-5], \"a\": {\"y\": true, \"x\": \"s\"}, \"n\": null}";
        String b = "{\n  \"a\": {\"x\":\"s\",\"y\":true},\n  \"b\": [1.0, 2.5, 0.00005]\n}";
        assertEquals(CanonicalJson.of(a), CanonicalJson.of(b));
        assertEquals("{\"a\":{\"x\":\"s\",\"y\":true},\"b\":[1,2.5,0.00005]}", CanonicalJson.of(a));
    }

    @Test
    void equivalentSpecsGiveTheSameIdAndDifferentSpecsDifferentIds() {
        String id = TrialIds.of(spec(5.0e-5, new Compression("avg_pool", 4, 2, true)));
        assertEquals(id, TrialIds.of(spec(0.00005, new Compression("avg_pool", 4, 2, true))));
        assertEquals(16, id.length());
        assertNotEquals(id, TrialIds.of(spec(5.0e-5, new Compression("avg_pool", 4, 2, false))));
        assertNotEquals(id, TrialIds.of(spec(1.0e-4, new Compression("avg_pool", 4, 2, true))));
    }

    @Test
    void specParsedFromReorderedJsonHasTheSameId() {
        TrialSpec original = spec(5.0e-5, Compression.none());
        String json = Json.write(original);
        String reordered = "{\"seed\":0.0," + json.substring(1).replace(",\"seed\":0", "");
        assertEquals(TrialIds.of(original), TrialIds.of(Json.read(reordered, TrialSpec.class)));
    }

    @Test
    void negativeZeroAndExponentsNormalise() {
        assertEquals("0", CanonicalJson.number(new java.math.BigDecimal("-0.000")));
        assertEquals("1000", CanonicalJson.number(new java.math.BigDecimal("1E+3")));
        assertEquals("-0.5", CanonicalJson.number(new java.math.BigDecimal("-5E-1")));
    }
}
