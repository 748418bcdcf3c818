package ai.vtc.worker.service;

import ai.vtc.contracts.TrialCost;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.florence2.train.Example;
import ai.vtc.florence2.train.TrainingSample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a trial's model and answers its evaluation questions ({@link Example} is florence2's: one question about
 * one image). The worker supplies the files (model folder,
 * images) and takes care of Kafka and object storage; an implementation only computes.
 */
public interface TrialRunner {

    /** Visual tokens the language model keeps for this model and compression (1 global + the pooled grid). */
    int visualTokens(Path modelDir, ai.vtc.contracts.Compression compression);

    /** Runs the job until it finishes or {@link Listener#stopRequested()} says to stop. */
    Result run(Job job, Listener listener);

    /** The device trials run on, as DJL names it ({@code cpu()}, {@code gpu(0)}); reported in the started event. */
    String device();

    /**
     * @param modelDir the base model (config.json, model.safetensors, tokenizer.json)
     * @param train training examples in subset order (answer = the annotators' majority answer)
     * @param eval evaluation questions (answer null)
     * @param resumeFrom a verified checkpoint folder to continue from
     * @param workDir scratch space for this trial, deleted afterwards
     */
    record Job(
            String trialId,
            TrialSpec spec,
            Path modelDir,
            List<Example> train,
            List<Example> eval,
            Optional<Path> resumeFrom,
            Path workDir) {

        /** The job for {@code trial} on the inputs the worker prepared for it. */
        public static Job of(
                TrialRequested trial, TrialInputs.Prepared inputs, Optional<Path> resumeFrom, Path workDir) {
            return new Job(
                    trial.trialId(),
                    trial.spec(),
                    inputs.modelDir(),
                    inputs.train(),
                    inputs.eval(),
                    resumeFrom,
                    workDir);
        }
    }

    /** How the runner reports back; called on the runner's thread. The worker's one implementation: {@link RunListener}. */
    interface Listener {
        /** At most every few seconds: {@code phase} is {@code train} or {@code eval}. */
        void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond);

        /** After a training step's progress: its loss and the learning rate it ran with. */
        default void training(double loss, double learningRate) {}

        /** fp16: training step {@code step} was skipped for a gradient overflow; the loss scale is now {@code scale}. */
        default void stepSkipped(long step, double lossScale) {}

        /** A complete checkpoint is in {@code dir} (model.safetensors, optimizer.safetensors, state.json). */
        void checkpoint(long step, Path dir);

        /**
         * The answers to the fixed training questions at {@code step} ({@code train.sample_every_n_steps}); {@code all}
         * holds every sample of the trial so far, those before a resume included.
         */
        default void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {}

        /**
         * Non-null when the runner should stop: at the next training step (checkpointing first unless cancelled), or
         * at the next batch of the evaluation (its answers so far are dropped).
         */
        StopSignal.Reason stopRequested();
    }

    /** How a run ended. */
    sealed interface Result {
        /**
         * Training and inference finished: answers by question id, and what the compression setting cost (null when
         * nothing was measured).
         */
        record Finished(Map<Long, String> answers, Double finalLoss, long steps, TrialCost cost) implements Result {}

        /**
         * Stopped on request at training step {@code step} (all steps when it stopped during the evaluation), after
         * writing a checkpoint unless the trial was cancelled.
         */
        record Stopped(long step, StopSignal.Reason reason) implements Result {}
    }
}
