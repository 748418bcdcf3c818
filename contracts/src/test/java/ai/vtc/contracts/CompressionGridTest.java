package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Grids of every compression method: the blocks, which axes apply to which mode, budgets and their validation. */
class CompressionGridTest {
    private static final String HEAD = "name: n\nmodel: m\ndataset: {name: d, subset: s}\n";

    /** The grid of the compression-methods comparison: matched budgets of 144 and 36 of 576 grid tokens. */
    static final String MATCHED_BUDGETS = HEAD
            + "grid:\n"
            + "  - {mode: [none, downsample], image_size: [384, 192]}\n"
            + "  - {mode: [avg_pool], factor: [4, 16], stage: [0, 2]}\n"
            + "  - {mode: [pool2d], factor: [2, 4], stage: [0, 2]}\n"
            + "  - {mode: [divprune, random], keep: [144, 36], stage: [0, 2]}\n"
            + "  - {mode: [attn_prune, dominant_merge], keep: [144, 36], stage: [2]}\n";

    private static final ModelFacts BASE = new ModelFacts(6, 24, 24);

    private static List<SpecProblem> problems(String yaml) {
        return SweepSpecs.parse(yaml).problems();
    }

    private static List<SpecProblem> modelProblems(String yaml, ModelFacts model) {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(yaml);
        List<SpecProblem> problems = new ArrayList<>(parsed.problems());
        SweepSpecs.checkModel(parsed, model, problems);
        return problems;
    }

    private static void assertProblem(List<SpecProblem> problems, String path, String messagePart) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path) && p.message().contains(messagePart)),
                () -> "expected " + path + ": ..." + messagePart + "... in " + problems);
    }

    @Test
    void matchedBudgetsExpandToEveryMethodAtBothBudgets() {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(MATCHED_BUDGETS);
        List<SpecProblem> problems = new ArrayList<>(parsed.problems());
        SweepSpecs.checkModel(parsed, BASE, problems);
        assertEquals(List.of(), problems);
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(parsed.orThrow(), "h");
        // none 1, downsample 2, avg_pool 4, pool2d 4, divprune 4, random 4, attn_prune 2, dominant_merge 2
        assertEquals(23, trials.size());
        assertEquals(23, SweepExpansion.count(parsed.spec()));
        Map<String, Long> perMode = trials.stream()
                .collect(Collectors.groupingBy(t -> t.spec().compression().mode(), Collectors.counting()));
        assertEquals(
                Map.of(
                        "none",
                        1L,
                        "downsample",
                        2L,
                        "avg_pool",
                        4L,
                        "pool2d",
                        4L,
                        "divprune",
                        4L,
                        "random",
                        4L,
                        "attn_prune",
                        2L,
                        "dominant_merge",
                        2L),
                perMode);
        // every budget is 144 or 36 grid tokens (145 or 37 visual tokens), none keeps all 576
        Map<Integer, Long> perBudget = trials.stream()
                .filter(t -> !t.spec().compression().isNone())
                .collect(Collectors.groupingBy(t -> BASE.visualTokens(t.spec().compression()), Collectors.counting()));
        assertEquals(Map.of(145, 11L, 37, 11L), perBudget);
    }

    @Test
    void onlyTheParametersAModeTakesAreStoredWithDefaultsResolved() {
        List<Compression> compressions =
                SweepExpansion.expand(SweepSpecs.parse(MATCHED_BUDGETS).orThrow(), "h").stream()
                        .map(t -> t.spec().compression())
                        .toList();
        Function<String, Compression> first = mode -> compressions.stream()
                .filter(c -> c.mode().equals(mode))
                .findFirst()
                .orElseThrow();
        assertEquals(new Compression("downsample", null, null, null, null, null, 384), first.apply("downsample"));
        assertEquals(new Compression("pool2d", 2, 0, null, null, null, null), first.apply("pool2d"));
        assertEquals(new Compression("avg_pool", 4, 0, false), first.apply("avg_pool"));
        assertEquals(new Compression("divprune", null, 0, null, 144, null, null), first.apply("divprune"));
        // VisionZip's default split: min(round(0.84 r), r - 1) dominant tokens
        assertEquals(new Compression("dominant_merge", null, 2, null, 144, 121, null), first.apply("dominant_merge"));
        assertEquals("{\"image_size\":384,\"mode\":\"downsample\"}", CanonicalJson.of(first.apply("downsample")));
    }

    @Test
    void defaultDominantFollowsVisionZipAndLeavesOneContextualToken() {
        assertEquals(54, Compression.defaultDominant(64));
        assertEquals(30, Compression.defaultDominant(36));
        assertEquals(1, Compression.defaultDominant(2));
        assertEquals(2, Compression.defaultDominant(3));
    }

    @Test
    void twoSpellingsOfOneTrialHaveOneId() {
        String implicit = HEAD + "grid: {mode: [dominant_merge, divprune], keep: [36], stage: [2]}\n";
        String explicit = HEAD + "grid:\n"
                + "  - {mode: [divprune], keep: [36, 36], stage: [2]}\n"
                + "  - {mode: [dominant_merge], keep: [36], dominant: [30], stage: [2]}\n";
        List<String> a = SweepExpansion.expand(SweepSpecs.parse(implicit).orThrow(), "h").stream()
                .map(SweepExpansion.Trial::id)
                .sorted()
                .toList();
        List<String> b = SweepExpansion.expand(SweepSpecs.parse(explicit).orThrow(), "h").stream()
                .map(SweepExpansion.Trial::id)
                .sorted()
                .toList();
        assertEquals(2, a.size());
        assertEquals(a, b);
        // the stage default is spelt out too
        String noStage = HEAD + "grid: {mode: [random], keep: [36]}\n";
        String stage0 = HEAD + "grid: {mode: [random], keep: [36], stage: [0]}\n";
        assertEquals(
                SweepExpansion.expand(SweepSpecs.parse(noStage).orThrow(), "h"),
                SweepExpansion.expand(SweepSpecs.parse(stage0).orThrow(), "h"));
    }

    @Test
    void poolingIdsAreTheOnesTheyAlwaysWere() {
        // the canonical JSON of a 1D pooling trial has no new member, so completed trials are reused
        assertEquals(
                "{\"factor\":4,\"mode\":\"avg_pool\",\"sorted\":true,\"stage\":2}",
                CanonicalJson.of(new Compression("avg_pool", 4, 2, true)));
        assertEquals("{\"mode\":\"none\"}", CanonicalJson.of(Compression.none()));
    }

    @Test
    void everyParameterThatDoesNotApplyIsAProblemWithItsPath() {
        List<SpecProblem> problems = problems(HEAD + "grid:\n"
                + "  - {mode: [avg_pool], factor: [4], keep: [36]}\n"
                + "  - {mode: [attn_prune], keep: [36], stage: [1], factor: [2], sorted: [true]}\n"
                + "  - {mode: [downsample], image_size: [384], stage: [1]}\n"
                + "  - {mode: [divprune], keep: [8], dominant: [4], image_size: [64]}\n"
                + "  - {mode: [none], factor: [2]}\n");
        assertProblem(problems, "grid[0].keep", "does not apply to avg_pool (keep applies to attn_prune, divprune,");
        assertProblem(problems, "grid[1].factor", "does not apply to attn_prune");
        assertProblem(problems, "grid[1].sorted", "does not apply to attn_prune (sorted applies to avg_pool,");
        assertProblem(problems, "grid[2].stage", "does not apply to downsample");
        assertProblem(problems, "grid[3].dominant", "does not apply to divprune (dominant applies to dominant_merge)");
        assertProblem(problems, "grid[3].image_size", "does not apply to divprune");
        assertProblem(problems, "grid[4].factor", "does not apply to none");
        assertEquals(7, problems.size(), problems::toString);
    }

    @Test
    void budgetsAndStagesThatNoModelCanTakeAreProblems() {
        List<SpecProblem> problems = problems(HEAD + "grid:\n"
                + "  - {mode: [pool2d], factor: [1, 2]}\n"
                + "  - {mode: [random], keep: [0, 4]}\n"
                + "  - {mode: [dominant_merge], keep: [1, 8], dominant: [0, 8], stage: [1]}\n"
                + "  - {mode: [attn_prune], keep: [8], stage: [0, 1]}\n"
                + "  - {mode: [attn_prune], keep: [8]}\n"
                + "  - {mode: [downsample], image_size: [100, 16, 96]}\n"
                + "  - {mode: [avg_pool, random, downsample]}\n"
                + "  - []\n");
        assertProblem(problems, "grid[0].factor[0]", "must be at least 2");
        assertProblem(problems, "grid[1].keep[0]", "must be at least 1");
        assertProblem(problems, "grid[2].keep[0]", "dominant_merge needs keep >= 2");
        assertProblem(problems, "grid[2].dominant[0]", "must be at least 1");
        assertProblem(problems, "grid[2].dominant[1]", "must be below every keep of the block (dominant 8 >= keep 8)");
        assertProblem(problems, "grid[3].stage[0]", "stage 0 does not apply to attn_prune");
        assertProblem(problems, "grid[4].stage", "is required for attn_prune");
        assertProblem(problems, "grid[5].image_size[0]", "must be a multiple of 32");
        assertProblem(problems, "grid[5].image_size[1]", "must be at least 32");
        assertProblem(problems, "grid[6].factor", "is required for avg_pool");
        assertProblem(problems, "grid[6].keep", "is required for random");
        assertProblem(problems, "grid[6].image_size", "is required for downsample");
        assertProblem(problems, "grid[7]", "must be a mapping");
        assertEquals(13, problems.size(), problems::toString);
    }

    @Test
    void budgetsTheModelCannotTakeAreProblems() {
        ModelFacts tiny = new ModelFacts(3, 4, 4, List.of(new ModelFacts.PatchEmbedding(32, 32, 0)), 6);
        List<SpecProblem> problems = modelProblems(
                HEAD + "grid:\n"
                        + "  - {mode: [pool2d, avg_pool], factor: [4, 5, 17]}\n"
                        + "  - {mode: [divprune], keep: [15, 16], stage: [3, 4]}\n"
                        + "  - {mode: [downsample], image_size: [192, 224]}\n",
                tiny);
        assertProblem(problems, "grid[0].factor[1]", "pool2d kernel 5 is larger than the model's 4 x 4 grid");
        assertProblem(problems, "grid[0].factor[2]", "factor 17 is larger than the model's 16 grid tokens");
        assertProblem(problems, "grid[0].factor[2]", "pool2d kernel 17");
        assertProblem(problems, "grid[1].keep[1]", "keep 16 must be below the model's 16 grid tokens");
        assertProblem(problems, "grid[1].stage[1]", "stage 4 is beyond the model's 3 encoder layers");
        assertProblem(problems, "grid[2].image_size[1]", "gives a 7 x 7 grid, beyond the model's position embedding");
        assertEquals(6, problems.size(), problems::toString);
    }

    @Test
    void visualTokensFollowEachMethodsBudget() {
        assertEquals(1 + 144, BASE.visualTokens(new Compression("pool2d", 2, 0, null, null, null, null)));
        assertEquals(1 + 36, BASE.visualTokens(new Compression("pool2d", 4, 0, null, null, null, null)));
        assertEquals(1 + 64, BASE.visualTokens(new Compression("pool2d", 3, 0, null, null, null, null)));
        assertEquals(1 + 16, BASE.visualTokens(new Compression("pool2d", 5, 0, null, null, null, null)));
        assertEquals(1 + 36, BASE.visualTokens(Compression.selection(CompressionMethod.RANDOM, 36, 0)));
        assertEquals(1 + 144, BASE.visualTokens(new Compression("downsample", null, null, null, null, null, 384)));
        assertEquals(1 + 9, BASE.visualTokens(new Compression("downsample", null, null, null, null, null, 96)));
        ModelFacts unknownSize = new ModelFacts(6, null, null);
        assertNull(unknownSize.visualTokens(new Compression("avg_pool", 4, 0, false)));
        assertEquals(1 + 36, unknownSize.visualTokens(Compression.selection(CompressionMethod.DIVPRUNE, 36, 1)));
    }
}
