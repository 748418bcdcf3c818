package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.CompressionMethod;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.TrialCost;
import ai.vtc.florence2.Florence2Flops;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answering under every method of a sweep (the trial's compression as the worker turns it into the library's, with the
 * trial seed): the visual tokens the answerer reports are what the model kept and the sweep's count ({@link
 * ModelFacts}) alike, the GFLOPs are {@link Florence2Flops} at the questions' mean prompt length, the latencies are
 * medians over the full batches on this device in fp32, and answers keyed by question id do not depend on the batching.
 * The tiny demo model at 64 px (a 4 x 4 grid, 16 px per grid cell), 8 validation questions.
 */
class VqaAnswererCostTest {

    private static final long TRIAL_SEED = 11;

    @TempDir
    static Path dir;

    private static Florence2Pipeline pipeline;
    private static ModelFacts facts;

    @BeforeAll
    static void load() {
        Path folder = TrainData.model(dir.resolve("tiny"), 5);
        facts = ModelFolderFacts.read(folder);
        pipeline = Florence2Pipeline.load(folder);
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    static Stream<ai.vtc.contracts.Compression> everyMethod() {
        return Stream.of(
                ai.vtc.contracts.Compression.none(),
                new ai.vtc.contracts.Compression("avg_pool", 4, 2, true),
                new ai.vtc.contracts.Compression("learnable_pool", 4, 0, false),
                new ai.vtc.contracts.Compression("pool2d", 2, 1, null),
                ai.vtc.contracts.Compression.selection(CompressionMethod.ATTN_PRUNE, 6, 2),
                ai.vtc.contracts.Compression.selection(CompressionMethod.DIVPRUNE, 6, 0),
                ai.vtc.contracts.Compression.selection(CompressionMethod.DOMINANT_MERGE, 6, 4),
                ai.vtc.contracts.Compression.selection(CompressionMethod.RANDOM, 6, 3),
                new ai.vtc.contracts.Compression("downsample", null, null, null, null, null, 32));
    }

    @ParameterizedTest
    @MethodSource("everyMethod")
    void costOfEveryMethod(ai.vtc.contracts.Compression sweep) {
        Compression compression = TrialCompression.of(sweep, TRIAL_SEED);
        List<Example> val = TrainData.val();
        VqaAnswerer.Result result = VqaAnswerer.run(
                pipeline,
                val,
                EvalOptions.defaults().withBatchSize(3).withNumBeams(1).withMaxNewTokens(3),
                compression,
                null);
        assertEquals(8, val.size());
        assertEquals(val.size(), result.answers().size());
        TrialCost cost = result.cost();
        assertEquals((int) facts.visualTokens(sweep), cost.visualTokens(), sweep.label());

        double meanPrompt = val.stream()
                        .mapToInt(e ->
                                pipeline.tokenizer().encode(List.of(prompt(e))).ids()[0].length)
                        .sum()
                / (double) val.size();
        assertEquals(meanPrompt, cost.textTokens(), 1e-12);
        int side = compression.imageProcessor(pipeline.imageProcessor()).height();
        int stage = sweep.stage() == null ? 0 : sweep.stage();
        Florence2Flops.Cost flops =
                Florence2Flops.of(pipeline.model().config(), side, meanPrompt, stage, cost.visualTokens() - 1);
        assertEquals(flops.prefill(), cost.gflops().prefill(), 1e-12);
        assertEquals(flops.encoder(), cost.gflops().encoder(), 1e-12);
        assertEquals(flops.decoderPerToken(), cost.gflops().decoderPerToken(), 1e-12);

        TrialCost.Latency latency = cost.latency();
        assertEquals(3, latency.batchSize(), "the last batch of 2 is not counted");
        assertEquals(2, latency.batches());
        assertEquals("cpu()", latency.device());
        assertEquals("fp32", latency.precision());
        assertTrue(latency.prefillMs() > 0 && latency.decodeStepMs() > 0, latency.toString());
    }

    @Test
    void withoutAFullBatchTheOneThereIsIsMeasured() {
        List<Example> val = TrainData.val();
        TrialCost cost = VqaAnswerer.run(
                        pipeline,
                        val,
                        EvalOptions.defaults().withBatchSize(16).withMaxNewTokens(2),
                        Compression.none(),
                        null)
                .cost();
        assertEquals(8, cost.latency().batchSize());
        assertEquals(1, cost.latency().batches());
    }

    @Test
    void selectionsKeyedByQuestionDoNotDependOnTheBatching() {
        List<Example> val = TrainData.val();
        for (Compression c : List.of(Compression.random(3, 1, TRIAL_SEED), Compression.attnPrune(3, 2))) {
            Map<Long, String> one =
                    VqaAnswerer.answer(pipeline, val, EvalOptions.defaults().withBatchSize(1), c, null);
            Map<Long, String> all =
                    VqaAnswerer.answer(pipeline, val, EvalOptions.defaults().withBatchSize(8), c, null);
            assertEquals(one, all, c.toString());
        }
    }

    private static String prompt(Example e) {
        return new BatchEncoder(
                        pipeline.tokenizer(),
                        pipeline.imageProcessor(),
                        new PixelCache(0),
                        EvalOptions.defaults().promptTemplate(),
                        pipeline.model().config().textConfig())
                .prompt(e.question());
    }
}
