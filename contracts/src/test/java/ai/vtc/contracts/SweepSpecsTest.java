package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepSpecsTest {
    static String designExample() throws IOException {
        try (InputStream in = SweepSpecsTest.class.getResourceAsStream("/design-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<SpecProblem> problems(String yaml) {
        return SweepSpecs.parse(yaml).problems();
    }

    private static void assertProblem(List<SpecProblem> problems, String path, String messagePart) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path) && p.message().contains(messagePart)),
                () -> "expected " + path + ": ..." + messagePart + "... in " + problems);
    }

    @Test
    void theDesignExampleExpandsTo25DistinctTrials() throws IOException {
        SweepSpec spec = SweepSpecs.parse(designExample()).orThrow();
        assertEquals(25, SweepExpansion.count(spec));
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(spec, "abc");
        assertEquals(25, trials.size());
        Set<String> ids = new HashSet<>();
        trials.forEach(t -> ids.add(t.id()));
        assertEquals(25, ids.size());
        trials.forEach(t -> assertEquals(TrialIds.of(t.spec()), t.id()));
        trials.forEach(t -> assertEquals(CanonicalJson.of(t.spec()), t.canonicalJson()));
        trials.forEach(t -> assertEquals(t.spec(), Json.read(t.canonicalJson(), TrialSpec.class)));
        assertEquals(Compression.none(), trials.get(0).spec().compression());
        assertEquals(
                1, trials.stream().filter(t -> t.spec().compression().isNone()).count());
        assertEquals("abc", trials.get(0).spec().dataset().manifestSha256());
        assertEquals(0.01, trials.get(0).spec().train().weightDecay());
        assertEquals(3, spec.limits().maxFailedTrials());
    }

    @Test
    void idsDoNotDependOnSpellingDefaultsOrDuplicates() throws IOException {
        String yaml = designExample();
        String respelled = yaml.replace("5.0e-5", "0.00005")
                .replace("factor: [2, 4, 8]", "factor: [2, 4, 8, 4]")
                .replace("eval: {num_beams: 3,", "eval: {no_repeat_ngram_size: 3, batch_size: 16, num_beams: 3,")
                .replace("seeds: [0]", "");
        List<SweepExpansion.Trial> a =
                SweepExpansion.expand(SweepSpecs.parse(yaml).orThrow(), "h");
        List<SweepExpansion.Trial> b =
                SweepExpansion.expand(SweepSpecs.parse(respelled).orThrow(), "h");
        assertEquals(a, b);
    }

    @Test
    void precisionIsValidatedAndChangesTheIdOnlyWhenNotFloat32() throws IOException {
        String yaml = designExample();
        List<SweepExpansion.Trial> plain =
                SweepExpansion.expand(SweepSpecs.parse(yaml).orThrow(), "h");
        String fp32 =
                yaml.replace("train: {", "train: {precision: fp32, ").replace("eval: {", "eval: {precision: fp32, ");
        assertEquals(plain, SweepExpansion.expand(SweepSpecs.parse(fp32).orThrow(), "h"), "fp32 is the default");
        assertNull(plain.get(0).spec().train().precision());

        String bf16 =
                yaml.replace("train: {", "train: {precision: bf16, ").replace("eval: {", "eval: {precision: fp16, ");
        List<SweepExpansion.Trial> low =
                SweepExpansion.expand(SweepSpecs.parse(bf16).orThrow(), "h");
        assertEquals("bf16", low.get(0).spec().train().precision());
        assertEquals("fp16", low.get(0).spec().eval().precision());
        assertTrue(
                low.get(0).canonicalJson().contains("\"precision\":\"bf16\""),
                low.get(0).canonicalJson());
        assertTrue(!low.get(0).id().equals(plain.get(0).id()), "bf16 is part of the trial id");

        List<SpecProblem> problems = problems(yaml.replace("train: {", "train: {precision: fp8, "));
        assertProblem(problems, "train.precision", "fp8");
    }

    @Test
    void noneOnlyNeedsNoFactorAndSeedsMultiply() {
        String yaml = "name: base\nmodel: m\ndataset: {name: d, subset: s}\ngrid: {mode: [none]}\nseeds: [1, 2, 3]\n";
        SweepSpec spec = SweepSpecs.parse(yaml).orThrow();
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(spec, "h");
        assertEquals(3, trials.size());
        assertEquals(
                List.of(1L, 2L, 3L), trials.stream().map(t -> t.spec().seed()).toList());
        assertEquals("val", trials.get(0).spec().dataset().evalSplit());
    }

    @Test
    void stageAndSortedDefault() {
        String yaml = "name: n\nmodel: m\ndataset: {name: d, subset: s}\ngrid: {mode: [avg_pool], factor: [2, 4]}\n";
        List<SweepExpansion.Trial> trials =
                SweepExpansion.expand(SweepSpecs.parse(yaml).orThrow(), "h");
        assertEquals(
                List.of(new Compression("avg_pool", 2, 0, false), new Compression("avg_pool", 4, 0, false)),
                trials.stream().map(t -> t.spec().compression()).toList());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        String yaml = "name: n\nmodel: m\ncolour: red\ndataset: {name: d}\n"
                + "grid: {mode: [avg_pool, max_pool], factor: [4, 1, \"8\"], stage: [], sorted: [maybe]}\n"
                + "seeds: [-1]\ntrain: {epochs: 0, learning_rate: fast}\neval: {prompt: \"<VQA>\"}\n"
                + "limits: {max_attempts_per_trial: 0}\n";
        List<SpecProblem> problems = problems(yaml);
        assertProblem(problems, "colour", "unknown key");
        assertProblem(problems, "dataset.subset", "is required");
        assertProblem(problems, "grid.mode[1]", "must be one of none, avg_pool, learnable_pool");
        assertProblem(problems, "grid.factor[1]", "must be at least 2");
        assertProblem(problems, "grid.factor[2]", "must be an integer, not a string");
        assertProblem(problems, "grid.stage", "must not be empty");
        assertProblem(problems, "grid.sorted[0]", "must be true or false");
        assertProblem(problems, "seeds[0]", "must be at least 0");
        assertProblem(problems, "train.epochs", "must be at least 1");
        assertProblem(problems, "train.learning_rate", "must be a number");
        assertProblem(problems, "eval.prompt", "must contain {question}");
        assertProblem(problems, "limits.max_attempts_per_trial", "must be at least 1");
        assertEquals(12, problems.size(), problems::toString);
    }

    @Test
    void aliasesExpandWithinLimits() {
        String yaml = "name: &n n1\nmodel: *n\ndataset: {name: d, subset: s}\n"
                + "grid: {mode: [avg_pool], factor: &f [2, 4], stage: *f, sorted: [yes, off]}\n"
                + "train: {learning_rate: 1e-4}\n";
        SweepSpec spec = SweepSpecs.parse(yaml).orThrow();
        assertEquals(List.of(2, 4), spec.grid().get(0).stage());
        assertEquals("n1", spec.model());
        assertEquals(List.of(true, false), spec.grid().get(0).sorted());
        assertEquals(1e-4, spec.train().learningRate());
    }

    @Test
    void billionLaughsStopsAtTheNodeLimit() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            yaml.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append("]\n");
        }
        List<SpecProblem> problems = problems(yaml.toString());
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().contains("after expanding aliases"), problems::toString);
    }

    @Test
    void tooManyAliasesDeepNestingAndSizeAreRefused() {
        StringBuilder aliases = new StringBuilder("a: &a 1\nb: [");
        for (int i = 0; i < 40; i++) {
            aliases.append("*a, ");
        }
        aliases.append("1]\n");
        assertTrue(problems(aliases.toString()).get(0).message().startsWith("too many aliases"));
        String deep = "a: " + "[".repeat(30) + "]".repeat(30) + "\n";
        assertTrue(problems(deep).get(0).message().startsWith("nested too deeply"));
        String big = "name: " + "x".repeat(70_000) + "\n";
        assertTrue(problems(big).get(0).message().contains("at most 65536 are allowed"));
    }

    @Test
    void tagsDuplicateKeysAndSecondDocumentsAreProblems() {
        List<SpecProblem> problems = problems("name: !!java.io.File /etc/passwd\nname: x\n---\nb: 1\n");
        assertProblem(problems, "name", "explicit YAML tags are not allowed");
        assertProblem(problems, "name", "duplicate key");
        assertProblem(problems, "", "only one YAML document");
    }

    @Test
    void syntaxErrorsSayWhere() {
        List<SpecProblem> problems = problems("name: [unclosed\nmodel: m\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("not valid YAML"), problems::toString);
        assertTrue(problems.get(0).message().contains("line"), problems::toString);
        assertProblem(problems(""), "", "the document is empty");
        assertProblem(problems("- a\n- b\n"), "", "must be a mapping, not a list");
    }

    @Test
    void modelChecksUseEncoderLayersAndGridTokens() throws IOException {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(designExample()
                .replace("stage: [0, 2]", "stage: [0, 4]")
                .replace("factor: [2, 4, 8]", "factor: [2, 4, 20]"));
        List<SpecProblem> problems = new ArrayList<>();
        SweepSpecs.checkModel(parsed, new ModelFacts(3, 4, 4), problems);
        assertEquals(2, problems.size(), problems::toString);
        assertProblem(problems, "grid.stage[1]", "stage 4 is beyond the model's 3 encoder layers (allowed: 0 to 3)");
        assertProblem(problems, "grid.factor[2]", "factor 20 is larger than the model's 16 grid tokens");
        problems.clear();
        SweepSpecs.checkSize(parsed, 10, problems);
        assertProblem(problems, "grid", "expands to 25 trials");
    }

    @Test
    void modelFactsReadHuggingFaceFiles() {
        JsonNode config =
                Json.mapper().valueToTree(java.util.Map.of("text_config", java.util.Map.of("encoder_layers", 6)));
        JsonNode preprocessor =
                Json.mapper().valueToTree(java.util.Map.of("size", java.util.Map.of("height", 768, "width", 768)));
        assertEquals(new ModelFacts(6, 24, 24), ModelFacts.fromHuggingFace(config, preprocessor));
        assertNull(ModelFacts.fromHuggingFace(config, null).gridTokens());
        assertThrows(IllegalArgumentException.class, () -> ModelFacts.fromHuggingFace(preprocessor, null));
    }

    @Test
    void gridTokensFollowTheVisionConfigsPatchEmbeddings() {
        // Florence-2-base: 768 px -> 192 -> 96 -> 48 -> 24, 576 grid tokens; the tiny demo config ends with stride 1.
        JsonNode base = florence2Config(2);
        JsonNode tiny = florence2Config(1);
        JsonNode px768 =
                Json.mapper().valueToTree(java.util.Map.of("size", java.util.Map.of("height", 768, "width", 768)));
        JsonNode px64 = Json.mapper().valueToTree(java.util.Map.of("size", 64));
        assertEquals(576, ModelFacts.fromHuggingFace(base, px768).gridTokens());
        assertEquals(16, ModelFacts.fromHuggingFace(tiny, px64).gridTokens());
        assertEquals(4, ModelFacts.fromHuggingFace(base, px64).gridTokens());
    }

    /** A config.json with Florence-2's patch embeddings; the last stage's stride as given. */
    private static JsonNode florence2Config(int lastStride) {
        return Json.mapper()
                .valueToTree(java.util.Map.of(
                        "text_config", java.util.Map.of("encoder_layers", 6),
                        "vision_config",
                                java.util.Map.of(
                                        "patch_size", List.of(7, 3, 3, 3),
                                        "patch_stride", List.of(4, 2, 2, lastStride),
                                        "patch_padding", List.of(3, 1, 1, 1))));
    }

    @Test
    void trialControlCarriesTheAttemptItCovers() {
        Instant at = Instant.parse("2026-11-23T10:15:30Z");
        TrialControl control = new TrialControl("t1", "s1", TrialControl.CANCEL, at, 2);
        TrialControl read = Json.read(Json.write(control), TrialControl.class);
        assertEquals(control, read);
        assertTrue(read.covers(1) && read.covers(2) && !read.covers(3));
        TrialControl old = Json.read(
                "{\"trial_id\":\"t1\",\"sweep_id\":\"s1\",\"action\":\"cancel\",\"at\":\"2026-11-23T10:15:30Z\"}",
                TrialControl.class);
        assertTrue(old.covers(7));
    }
}
