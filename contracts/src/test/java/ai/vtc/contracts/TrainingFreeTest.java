package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Training-free trials next to fine-tuned ones, and the evaluation subset every trial of a sweep answers. */
class TrainingFreeTest {
    private static final String HEAD = "name: n\nmodel: m\ndataset: {name: d, subset: s}\n";

    private static void assertProblem(List<SpecProblem> problems, String path, String messagePart) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path) && p.message().contains(messagePart)),
                () -> "expected " + path + ": ..." + messagePart + "... in " + problems);
    }

    @Test
    void trainNoneMakesEveryTrialTrainingFree() {
        SweepSpec spec = SweepSpecs.parse(HEAD + "grid: {mode: [none, random], keep: [4]}\ntrain: none\n")
                .orThrow();
        assertNull(spec.train());
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(spec, "h");
        assertEquals(2, trials.size());
        trials.forEach(t -> assertNull(t.spec().train()));
        trials.forEach(t -> assertEquals(Training.NONE, Training.of(t.spec())));
        trials.forEach(t -> assertTrue(!t.canonicalJson().contains("\"train\""), t.canonicalJson()));
        trials.forEach(t -> assertEquals(TrialIds.of(t.spec()), t.id()));
    }

    @Test
    void aTrainingAxisPutsBothSideBySideWithDistinctIds() {
        SweepSpec spec = SweepSpecs.parse(HEAD
                        + "grid:\n"
                        + "  - {mode: [none, avg_pool], factor: [4], training: [none, fine_tune]}\n"
                        + "  - {mode: [divprune], keep: [4]}\n"
                        + "train: {max_steps: 30}\n")
                .orThrow();
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(spec, "h");
        assertEquals(5, trials.size());
        assertEquals(5, SweepExpansion.count(spec));
        Map<Training, Long> perTraining =
                trials.stream().collect(Collectors.groupingBy(t -> Training.of(t.spec()), Collectors.counting()));
        assertEquals(Map.of(Training.NONE, 2L, Training.FINE_TUNE, 3L), perTraining);
        assertEquals(
                30,
                trials.stream()
                        .filter(t -> t.spec().train() != null)
                        .findFirst()
                        .orElseThrow()
                        .spec()
                        .train()
                        .maxSteps());
        assertNotEquals(trials.get(0).id(), trials.get(2).id());
    }

    @Test
    void fineTunedTrialsKeepTheIdsTheyAlwaysHad() {
        String before = HEAD + "grid: {mode: [none, avg_pool], factor: [2]}\n";
        String explicit = HEAD + "grid: {mode: [none, avg_pool], factor: [2], training: [fine_tune]}\n";
        List<SweepExpansion.Trial> a =
                SweepExpansion.expand(SweepSpecs.parse(before).orThrow(), "h");
        assertEquals(a, SweepExpansion.expand(SweepSpecs.parse(explicit).orThrow(), "h"));
        a.forEach(t -> assertEquals(TrialIds.of(t.spec()), t.id()));
    }

    @Test
    void trainingProblemsHaveTheirPaths() {
        List<SpecProblem> problems = SweepSpecs.parse(
                        HEAD + "grid:\n" + "  - {mode: [none], training: [fine_tune, later]}\n" + "train: none\n")
                .problems();
        assertProblem(
                problems, "grid[0].training[0]", "fine_tune needs train settings, and the sweep says train: none");
        assertProblem(problems, "grid[0].training[1]", "must be one of none, fine_tune");
        problems = SweepSpecs.parse(HEAD + "grid: {mode: [none], training: [none]}\ntrain: {trainable: pooling}\n")
                .problems();
        assertProblem(
                problems, "train", "applies to fine-tuned trials, and every trial of this sweep is training-free");
        problems = SweepSpecs.parse(HEAD + "grid: {mode: [none]}\ntrain: nothing\n")
                .problems();
        assertProblem(problems, "train", "must be a mapping");
    }

    @Test
    void theEvaluationSubsetTravelsWithEveryTrial() {
        SweepSpec spec = SweepSpecs.parse("name: n\nmodel: m\ndataset: {name: d, subset: s, eval_subset: held-out}\n"
                        + "grid: {mode: [none, random], keep: [4], training: [none, fine_tune]}\n")
                .orThrow();
        List<SweepExpansion.Trial> trials = SweepExpansion.expand(spec, "h", "e");
        assertEquals(4, trials.size());
        for (SweepExpansion.Trial t : trials) {
            DatasetRef ref = t.spec().dataset();
            assertEquals("held-out", ref.evaluationSubset());
            assertEquals("e", ref.evaluationManifestSha256());
            assertEquals("h", ref.manifestSha256());
        }
        DatasetRef plain = new DatasetRef("d", "s", "val", "h");
        assertEquals("s", plain.evaluationSubset());
        assertEquals("h", plain.evaluationManifestSha256());
        assertEquals(
                "{\"eval_split\":\"val\",\"manifest_sha256\":\"h\",\"name\":\"d\",\"subset\":\"s\"}",
                CanonicalJson.of(plain));
    }
}
