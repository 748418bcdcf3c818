package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.contracts.TrialCost;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.generate.GenerationListener;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Precision;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prefill that starts from stored vision features leaves the vision tower out; the vision tower's time measured once
 * for that batch size is added to the prefill, so the reported latency is the setting's with or without sharing.
 */
class CostMeterTest {
    @TempDir
    static Path dir;

    private static Florence2Pipeline pipeline;

    @BeforeAll
    static void load() {
        pipeline = Florence2Pipeline.load(TrainData.model(dir.resolve("tiny"), 5));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    /** Two full batches of 3 questions and a last one of 2, each with a 20-token encoder output and 5 prompt tokens. */
    private static CostMeter heard(NDManager manager) {
        CostMeter meter = new CostMeter(3);
        for (int size : new int[] {3, 3, 2}) {
            long[] prompts = new long[size];
            java.util.Arrays.fill(prompts, 5);
            GenerationListener listener = meter.batch(prompts, 5);
            listener.started();
            listener.encoded(new EncoderOutput(manager.zeros(new Shape(size, 20, 8)), null));
            listener.stepped(1);
        }
        return meter;
    }

    @Test
    void theVisionTowersTimeIsAddedToTheFullBatchesPrefill() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CostMeter meter = heard(manager);
            TrialCost before = meter.cost(pipeline.model(), 64, 0, Precision.FP32);
            meter.visionTower(250.0, 2); // a partial batch's time does not touch the full batches' median
            assertEquals(
                    before.latency().prefillMs(),
                    meter.cost(pipeline.model(), 64, 0, Precision.FP32)
                            .latency()
                            .prefillMs(),
                    1e-9);
            meter.visionTower(250.0, 3);
            TrialCost after = meter.cost(pipeline.model(), 64, 0, Precision.FP32);
            assertEquals(before.latency().prefillMs() + 250.0, after.latency().prefillMs(), 1e-9);
            assertEquals(before.latency().decodeStepMs(), after.latency().decodeStepMs(), 1e-9);
            assertEquals(3, after.latency().batchSize());
            assertEquals(15, after.visualTokens());
        }
    }
}
