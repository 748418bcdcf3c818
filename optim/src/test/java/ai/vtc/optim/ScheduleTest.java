package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void constantWithWarmup() {
        LearningRateSchedule s = LearningRateSchedule.constant(1e-3, 4);
        assertEquals(0, s.learningRate(0), EPS);
        assertEquals(0.5e-3, s.learningRate(2), EPS);
        assertEquals(1e-3, s.learningRate(4), EPS);
        assertEquals(1e-3, s.learningRate(1_000_000), EPS);
        assertEquals(1e-3, LearningRateSchedule.constant(1e-3, 0).learningRate(0), EPS);
    }

    @Test
    void linearWithWarmupAsTransformers() {
        // get_linear_schedule_with_warmup(num_warmup_steps=10, num_training_steps=110), base lr 2e-3.
        LearningRateSchedule s = LearningRateSchedule.linear(2e-3, 10, 110);
        assertEquals(0, s.learningRate(0), EPS);
        assertEquals(2e-4, s.learningRate(1), EPS);
        assertEquals(2e-3, s.learningRate(10), EPS);
        assertEquals(1e-3, s.learningRate(60), EPS);
        assertEquals(2e-5, s.learningRate(109), EPS);
        assertEquals(0, s.learningRate(110), EPS);
        assertEquals(0, s.learningRate(500), EPS);
    }

    @Test
    void cosineWithWarmupAsTransformers() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 10, 110);
        assertEquals(0.5, s.learningRate(5), EPS);
        assertEquals(1.0, s.learningRate(10), EPS);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), s.learningRate(35), EPS);
        assertEquals(0.5, s.learningRate(60), EPS);
        assertEquals(0, s.learningRate(110), EPS);
        // Past the end the formula would rise again; transformers keeps max(0, ...) of the continued cosine.
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 1.1)), s.learningRate(120), EPS);
        LearningRateSchedule twoCycles = LearningRateSchedule.cosine(1.0, 0, 100, 2);
        assertEquals(1.0, twoCycles.learningRate(50), EPS);
    }

    @Test
    void oneCycleAsTorch() {
        // OneCycleLR(max_lr=1e-3, total_steps=100): initial 4e-5, peak at step 29, min 4e-9 at step 99.
        OneCycle s = LearningRateSchedule.oneCycle(1e-3, 100);
        assertEquals(4e-5, s.learningRate(0), EPS);
        assertEquals(1e-3, s.learningRate(29), EPS);
        assertEquals(4e-9, s.learningRate(99), 1e-15);
        // Phase one at step 10: pct 10 / 29; phase two at step 64: pct (64 - 29) / (99 - 29) = 0.5.
        assertEquals(1e-3 + (4e-5 - 1e-3) / 2 * (Math.cos(Math.PI * 10 / 29) + 1), s.learningRate(10), EPS);
        assertEquals((1e-3 + 4e-9) / 2, s.learningRate(64), EPS);
        assertEquals(0.95, s.beta1(0), EPS);
        assertEquals(0.85, s.beta1(29), EPS);
        assertEquals(0.95, s.beta1(99), EPS);
        assertTrue(Double.isNaN(s.withoutMomentumCycling().beta1(10)));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.oneCycle(1e-3, 3));
    }

    @Test
    void schedulerTracksAndRestoresItsPosition() {
        Scheduler scheduler = new Scheduler(LearningRateSchedule.linear(1.0, 2, 10));
        try (NDManager manager = NDManager.newBaseManager();
                AdamW adamW = new AdamW(manager, AdamWConfig.defaults())) {
            for (int i = 0; i < 5; i++) {
                scheduler.apply(adamW);
                scheduler.advance();
            }
            assertEquals((10 - 4) / 8.0, adamW.learningRate(), EPS);
            Scheduler resumed = new Scheduler(LearningRateSchedule.linear(1.0, 2, 10));
            resumed.loadState(scheduler.state(manager));
            assertEquals(5, resumed.position());
            assertEquals(scheduler.currentLearningRate(), resumed.currentLearningRate(), 0);

            Scheduler oneCycle = new Scheduler(LearningRateSchedule.oneCycle(1e-3, 100));
            oneCycle.apply(adamW);
            assertEquals(0.95, adamW.beta1(), EPS);
        }
    }
}
