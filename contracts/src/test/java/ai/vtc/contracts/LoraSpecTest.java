package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code train.lora} and {@code train.sample_every_n_steps}: defaults, ids, and every problem with its path. */
class LoraSpecTest {

    private static String sweep(String train) {
        return """
                name: lora
                model: tiny-florence2
                dataset: {name: synth-vqa, subset: all}
                grid: {mode: [none, avg_pool], factor: [2]}
                train: %s
                """.formatted(train);
    }

    private static List<SweepExpansion.Trial> trials(String train) {
        return SweepExpansion.expand(SweepSpecs.parse(sweep(train)).orThrow(), "abc");
    }

    @Test
    void anEmptyLoraMappingGetsTheLoraTrainersDefaults() {
        TrainSettings train = trials("{max_steps: 4, lora: {}, sample_every_n_steps: 2}")
                .get(0)
                .spec()
                .train();
        assertEquals(
                new LoraSettings(
                        4,
                        4.0,
                        0.25,
                        List.of("qkv", "proj", "k_proj", "v_proj", "q_proj", "out_proj", "fc1", "fc2"),
                        false),
                train.lora());
        assertEquals(2, train.sampleEveryNSteps());
    }

    @Test
    void spellingTheDefaultsOutKeepsTheIdsAndLoraChangesThem() {
        List<String> implicit = ids("{max_steps: 4, lora: {}}");
        List<String> explicit = ids("{max_steps: 4, lora: {rank: 4, alpha: 4, dropout: 0.25, rslora: false,"
                + " target_modules: \"qkv proj k_proj v_proj q_proj out_proj fc1 fc2\"}}");
        assertEquals(implicit, explicit);
        assertNotEquals(implicit, ids("{max_steps: 4}"));
        assertNotEquals(implicit, ids("{max_steps: 4, lora: {rank: 8}}"));
    }

    @Test
    void aSweepWithoutLoraSerialisesAsBefore() {
        TrialSpec spec = trials("{max_steps: 4}").get(0).spec();
        assertNull(spec.train().lora());
        assertTrue(!CanonicalJson.of(spec).contains("lora")
                && !CanonicalJson.of(spec).contains("sample_every"));
    }

    @Test
    void sampleEveryNStepsHasItsYamlNameInTheJson() {
        TrialSpec spec =
                trials("{max_steps: 4, sample_every_n_steps: 2}").get(0).spec();
        String json = CanonicalJson.of(spec);
        assertTrue(json.contains("\"sample_every_n_steps\":2"), json);
        assertEquals(spec, Json.read(json, TrialSpec.class));
    }

    @Test
    void aTrialSpecWithLoraRoundTripsThroughJson() {
        TrialSpec spec = trials("{max_steps: 4, lora: {rank: 2, rslora: true, target_modules: [q_proj, v_proj]}}")
                .get(0)
                .spec();
        assertEquals(spec, Json.read(CanonicalJson.of(spec), TrialSpec.class));
        assertTrue(CanonicalJson.of(spec).contains("\"target_modules\":[\"q_proj\",\"v_proj\"]"));
    }

    @Test
    void everyProblemHasItsPath() {
        List<SpecProblem> problems = SweepSpecs.parse(sweep("{trainable: all, sample_every_n_steps: 0, lora: {rank: 0,"
                        + " alpha: -1, dropout: 1, target_modules: [fc1, query], rslora: 1, bias: all}}"))
                .problems();
        assertProblem(problems, "train.lora.rank", "must be at least 1");
        assertProblem(problems, "train.lora.alpha", "must be greater than 0");
        assertProblem(problems, "train.lora.dropout", "must be less than 1");
        assertProblem(problems, "train.lora.target_modules", "[query] match no linear layer of Florence-2");
        assertProblem(problems, "train.lora.rslora", "must be true or false");
        assertProblem(problems, "train.lora.bias", "unknown key");
        assertProblem(problems, "train.trainable", "does not apply with train.lora");
        assertProblem(problems, "train.sample_every_n_steps", "must be at least 1");
        assertProblem(
                SweepSpecs.parse(sweep("{lora: {target_modules: []}}")).problems(),
                "train.lora.target_modules",
                "must name at least one module");
        assertProblem(SweepSpecs.parse(sweep("{lora: 4}")).problems(), "train.lora", "must be a mapping");
    }

    private static List<String> ids(String train) {
        return trials(train).stream().map(SweepExpansion.Trial::id).toList();
    }

    private static void assertProblem(List<SpecProblem> problems, String path, String messagePart) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path) && p.message().contains(messagePart)),
                () -> "expected " + path + ": ..." + messagePart + "... in " + problems);
    }
}
