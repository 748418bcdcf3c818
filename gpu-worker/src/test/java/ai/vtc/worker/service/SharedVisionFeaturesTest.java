package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.CompressionMethod;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvalSettings;
import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.TrainSettings;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.train.Example;
import ai.vtc.florence2.train.VisionFeatureFile;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.synth.SyntheticVqa;
import ai.vtc.worker.TestWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's runner on several trials of one model and dataset, sharing vision features through the real S3
 * server: each image's features are computed and uploaded once and read by the other trials, with the answers the
 * trials give without sharing; other weights under the same model name never read them; a corrupt or truncated
 * stored entry is detected, computed again and replaced; a trial that trains the vision tower neither reads nor writes
 * them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedVisionFeaturesTest {
    private static final String MODEL = "tiny-florence2";

    private final ObjectStore store = TestWorker.objectStore();
    /** A new dataset name per test: each starts with nothing stored. */
    private String dataset;

    @TempDir
    static Path dir;

    private Path model;
    private List<Example> train;
    private List<Example> eval;
    private TestWorker.Config config;

    @BeforeAll
    void setUp() throws Exception {
        store.ensureBucket();
        model = dir.resolve("model");
        try (Florence2Pipeline tiny = Florence2Pipeline.createTinyDemo(3)) {
            tiny.save(model);
        }
        SyntheticVqa.Generated data = SyntheticVqa.generate(
                dir.resolve("data"),
                SyntheticVqa.Options.defaults()
                        .withImages(6, 4)
                        .withQuestionsPerImage(2)
                        .withImageSize(64)
                        .withSeed(11));
        train = examples(data.split("train"), true);
        eval = examples(data.split("val"), false);
        config = new TestWorker.Config("features-test", dir.resolve("cache"));
    }

    @BeforeEach
    void newDataset() {
        dataset = "features-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<Example> examples(SyntheticVqa.Split split, boolean answers) throws Exception {
        VqaQuestions questions = VqaQuestions.read(split.questionsFile());
        VqaAnnotations annotations = answers ? VqaAnnotations.read(split.annotationsFile()) : null;
        List<Example> out = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            long id = questions.questionId(q);
            Path image = split.imagesDir().resolve(split.imageFileName(questions.imageId(q)));
            String answer = answers ? annotations.multipleChoiceAnswer(annotations.indexOf(id)) : null;
            out.add(new Example(id, image, questions.question(q), answer));
        }
        return out;
    }

    private static long distinctImages(List<Example> examples) {
        return examples.stream().map(Example::image).distinct().count();
    }

    private TrialSpec spec(Compression compression, TrainSettings train) {
        return new TrialSpec(
                MODEL,
                new DatasetRef(dataset, "all", "val", "0".repeat(64)),
                compression,
                train,
                new EvalSettings(1, 4, 0, "<VQA>{question}", 3),
                7);
    }

    private static TrainSettings training(String trainable) {
        // one epoch: every training image is used
        return new TrainSettings(trainable, 1, null, 4, 1, 1e-3, "adamw", 0.0, "constant", 0, 1.0, 0, List.of());
    }

    private TrialRunner.Result.Finished run(TrialRunner runner, TrialSpec spec, Path modelDir) throws Exception {
        TrialRunner.Job job = new TrialRunner.Job(
                TrialIds.of(spec),
                spec,
                modelDir,
                spec.train() == null ? List.of() : train,
                eval,
                Optional.empty(),
                Files.createDirectories(
                        dir.resolve("work").resolve(UUID.randomUUID().toString())));
        TrialRunner.Result result = runner.run(job, new Quiet());
        return (TrialRunner.Result.Finished) result;
    }

    private List<String> storedKeys(String weightsId) {
        return store.list(Keys.features(weightsId)).stream()
                .filter(k -> Keys.isVisionFeatureOf(k, dataset))
                .toList();
    }

    private static double counted(SimpleMeterRegistry registry, String source) {
        return registry.get(MetricNames.WORKER_VISION_FEATURES)
                .tag("source", source)
                .counter()
                .count();
    }

    @Test
    void trialsOfOneModelComputeEachImageOnceAndAnswerAsWithoutSharing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedVisionFeatures shared = new SharedVisionFeatures(store, config, registry, true);
        Florence2TrialRunner sharing = new Florence2TrialRunner(config, shared);
        Florence2TrialRunner plain = new Florence2TrialRunner(config);
        List<TrialSpec> specs = List.of(
                spec(Compression.none(), null),
                spec(new Compression("avg_pool", 2, 0, false), null),
                spec(Compression.selection(CompressionMethod.DIVPRUNE, 8, 1), null),
                spec(new Compression("learnable_pool", 2, 1, false), training("language")));
        String weightsId = shared.modelWeightsId(model);
        for (TrialSpec spec : specs) {
            TrialRunner.Result.Finished withSharing = run(sharing, spec, model);
            TrialRunner.Result.Finished without = run(plain, spec, model);
            assertEquals(without.answers(), withSharing.answers(), spec.compression() + " " + spec.train());
            if (spec.train() != null) {
                assertEquals(without.finalLoss(), withSharing.finalLoss(), 1e-5, "the language trial's loss");
            }
        }
        long images = distinctImages(eval) + distinctImages(train);
        assertEquals(images, (long) counted(registry, "computed"), "every image computed once");
        assertEquals(images, storedKeys(weightsId).size(), "one stored entry per image");
        // the first trial computed the evaluation images, the other three read each of them at least once
        assertTrue(counted(registry, "stored") >= 3 * distinctImages(eval), "" + counted(registry, "stored"));
        assertEquals(0, counted(registry, "rejected"));
    }

    @Test
    void otherWeightsUnderTheSameNameNeverReadTheOldFeatures() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedVisionFeatures shared = new SharedVisionFeatures(store, config, registry, true);
        Florence2TrialRunner sharing = new Florence2TrialRunner(config, shared);
        TrialSpec spec = spec(Compression.none(), null);
        run(sharing, spec, model);
        Path replaced = dir.resolve("replaced").resolve(MODEL);
        try (Florence2Pipeline other = Florence2Pipeline.createTinyDemo(4)) {
            other.save(replaced);
        }
        double computedBefore = counted(registry, "computed");
        TrialRunner.Result.Finished answered = run(sharing, spec, replaced);
        TrialRunner.Result.Finished plain = run(new Florence2TrialRunner(config), spec, replaced);
        assertNotEquals(shared.modelWeightsId(model), shared.modelWeightsId(replaced));
        // every image computed again with the new weights: none of the old model's entries was taken
        assertEquals(distinctImages(eval), counted(registry, "computed") - computedBefore);
        assertEquals(plain.answers(), answered.answers());
        assertEquals(
                distinctImages(eval),
                storedKeys(shared.modelWeightsId(replaced)).size());
    }

    @Test
    void aCorruptOrTruncatedEntryIsDetectedComputedAgainAndReplaced() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path cache = dir.resolve("corrupt-cache");
        TestWorker.Config local = new TestWorker.Config("features-corrupt", cache);
        SharedVisionFeatures shared = new SharedVisionFeatures(store, local, registry, true);
        Florence2TrialRunner sharing = new Florence2TrialRunner(local, shared);
        TrialSpec spec = spec(Compression.none(), null);
        TrialRunner.Result.Finished first = run(sharing, spec, model);
        List<String> keys = storedKeys(shared.modelWeightsId(model));
        byte[] good = store.get(keys.get(0));
        store.put(keys.get(0), Arrays.copyOf(good, good.length - 100), "application/octet-stream"); // truncated
        byte[] flipped = store.get(keys.get(1));
        flipped[flipped.length - 7] ^= 0x10; // one bit of the payload
        store.put(keys.get(1), flipped, "application/octet-stream");
        deleteTree(cache.resolve("features")); // this worker's copies too: the next read goes to storage

        double computedBefore = counted(registry, "computed");
        TrialRunner.Result.Finished again = run(sharing, spec, model);
        assertEquals(2, counted(registry, "rejected"), "both bad entries detected");
        assertEquals(2, counted(registry, "computed") - computedBefore, "and computed again");
        assertEquals(first.answers(), again.answers());
        for (String key : keys.subList(0, 2)) { // uploaded again, whole and valid
            assertEquals(good.length, store.get(key).length, key);
        }
        deleteTree(cache.resolve("features"));
        double rejected = counted(registry, "rejected");
        run(sharing, spec, model);
        assertEquals(rejected, counted(registry, "rejected"), "the replaced entries verify");
    }

    @Test
    void aTrialThatTrainsTheVisionTowerNeitherReadsNorWritesThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedVisionFeatures shared = new SharedVisionFeatures(store, config, registry, true);
        Florence2TrialRunner sharing = new Florence2TrialRunner(config, shared);
        run(sharing, spec(Compression.none(), null), model); // every evaluation image is stored now
        double stored = counted(registry, "stored");
        double computed = counted(registry, "computed");
        run(sharing, spec(new Compression("avg_pool", 2, 0, false), training("all")), model);
        assertEquals(stored, counted(registry, "stored"), "read nothing");
        assertEquals(computed, counted(registry, "computed"), "wrote nothing");
    }

    @Test
    void theStoredFormRoundsToTheTrialsPrecisionAndNamesItsImage() throws Exception {
        float[] values = {1.0f, -2.5f, 3.14159265f, 1e-3f, 6.0e-8f, 65000f};
        VisionFeatureFile.Features f = new VisionFeatureFile.Features(values, 1, 2, 3);
        String image = "ab".repeat(32);
        for (Precision p : Precision.values()) {
            VisionFeatureFile.Features back = VisionFeatureFile.decode(VisionFeatureFile.encode(f, p, image), p, image);
            for (int i = 0; i < values.length; i++) {
                double tolerance = p == Precision.FP32 ? 0 : Math.max(p.unitRoundoff() * Math.abs(values[i]), 0x1p-24);
                assertEquals(values[i], back.tokens()[i], tolerance, p + " value " + i);
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Hears nothing and never stops. */
    private static final class Quiet implements TrialRunner.Listener {
        @Override
        public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {}

        @Override
        public void checkpoint(long step, Path dir) {}

        @Override
        public StopSignal.Reason stopRequested() {
            return null;
        }
    }
}
