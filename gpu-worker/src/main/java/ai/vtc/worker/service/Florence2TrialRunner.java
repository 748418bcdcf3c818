package ai.vtc.worker.service;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.contracts.EvalSettings;
import ai.vtc.contracts.LoraSettings;
import ai.vtc.contracts.StagedCompression;
import ai.vtc.contracts.TrainSettings;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionSchedule;
import ai.vtc.florence2.compress.InvalidCompressionException;
import ai.vtc.florence2.lora.LoraAdapters;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.train.EvalOptions;
import ai.vtc.florence2.train.LoraDefaults;
import ai.vtc.florence2.train.LrScheduleKind;
import ai.vtc.florence2.train.ModelFolderFacts;
import ai.vtc.florence2.train.OptimizerKind;
import ai.vtc.florence2.train.TrainOptions;
import ai.vtc.florence2.train.TrainRequest;
import ai.vtc.florence2.train.TrainResult;
import ai.vtc.florence2.train.Trainable;
import ai.vtc.florence2.train.Trainer;
import ai.vtc.florence2.train.TrainingListener;
import ai.vtc.florence2.train.TrainingSample;
import ai.vtc.florence2.train.TrialCompression;
import ai.vtc.florence2.train.VqaAnswerer;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a trial with the {@code florence2} module: compressed fine-tuning (none for a training-free trial), then answers
 * for the evaluation questions.
 */
@ApplicationScoped
public class Florence2TrialRunner implements TrialRunner {
    private final WorkerConfig config;
    private final WorkerDevice device;
    private final SharedVisionFeatures features;

    /** A runner that always runs the vision tower. */
    public Florence2TrialRunner(WorkerConfig config) {
        this(config, null, new WorkerDevice(config));
    }

    /** A runner whose trials share their vision features through {@code features} where they may (null: never). */
    public Florence2TrialRunner(WorkerConfig config, SharedVisionFeatures features) {
        this(config, features, new WorkerDevice(config));
    }

    /** As above, loading models on {@code device} (never the CPU in place of a missing GPU). */
    @Inject
    public Florence2TrialRunner(WorkerConfig config, SharedVisionFeatures features, WorkerDevice device) {
        this.config = config;
        this.device = device;
        this.features = features;
    }

    @Override
    public String device() {
        return device.used();
    }

    @Override
    public int visualTokens(Path modelDir, ai.vtc.contracts.Compression compression) {
        try {
            TrialCompression.of(compression, 0); // a setting the model code rejects fails here as it would in the run
            return ModelFolderFacts.read(modelDir).visualTokens(compression);
        } catch (InvalidCompressionException e) { // the same spec fails the same way on every worker
            throw new TrialFailure("compression does not fit the model: " + e.getMessage(), false, e);
        }
    }

    @Override
    public Result run(Job job, Listener listener) {
        // PyTorch's grad mode is per thread and the engine turns it off only on the thread that loaded it: off here
        // too,
        // so loading weights and the optimizer's in-place updates work on whichever thread runs the trial (DJL's
        // gradient collector turns it on for the backward pass only)
        Engine.getEngine("PyTorch"); // loads the native library before it is called
        JniUtils.setGradMode(false);
        TrialSpec spec = job.spec();
        Compression compression;
        TrainOptions options;
        EvalOptions eval;
        try {
            compression = TrialCompression.of(spec.compression(), spec.seed());
            options = trainOptions(spec, compression);
            eval = evalOptions(spec.eval());
        } catch (IllegalArgumentException e) {
            throw new TrialFailure("invalid trial settings: " + e.getMessage(), false, e);
        }
        Florence2Pipeline loaded;
        try {
            loaded = Florence2Pipeline.load(job.modelDir(), device.require());
        } catch (RuntimeException e) {
            // the files are local already: a model that does not load is wrong content, and stays wrong on retry
            throw new TrialFailure("cannot load model '" + spec.model() + "': " + e.getMessage(), false, e);
        }
        try (Florence2Pipeline pipeline = loaded) {
            checkLoraFits(pipeline, options, spec);
            Florence2Listener reports = new Florence2Listener(listener);
            SharedVisionFeatures.Trial shared = features == null
                    ? null
                    : features.forTrial(job.modelDir(), spec.dataset().name(), options, spec.train() != null)
                            .orElse(null);
            long steps = 0;
            Double loss = null;
            if (spec.train() != null) { // a training-free trial evaluates the stored weights as they are
                TrainRequest request = TrainRequest.of(pipeline, job.train(), options, job.workDir())
                        .resumingFrom(job.resumeFrom().orElse(null))
                        .withBaseModelName(spec.model())
                        .withVisionFeatures(shared);
                TrainResult trained = Trainer.train(request, reports);
                if (!trained.finished()) {
                    return new Result.Stopped(trained.steps(), reports.stopReason);
                }
                steps = trained.steps();
                loss = Double.isNaN(trained.finalLoss()) ? null : trained.finalLoss();
            }
            VqaAnswerer.Result answered = VqaAnswerer.run(pipeline, job.eval(), eval, compression, reports, shared);
            if (shared != null) {
                shared.logSummary(job.trialId());
            }
            if (reports.stopReason != null) { // incomplete answers are never published
                return new Result.Stopped(steps, reports.stopReason);
            }
            return new Result.Finished(answered.answers(), loss, steps, answered.cost());
        } catch (InvalidCompressionException e) {
            throw new TrialFailure("compression does not fit the model: " + e.getMessage(), false, e);
        }
    }

    /**
     * The worker's {@link Listener} as florence2's training and evaluation listeners (the one place that speaks
     * florence2's listener interfaces): progress is tagged with its phase, and the first reason to stop is kept for
     * the run's {@link Result.Stopped}, since florence2 only asks "stop?" and hears yes or no.
     */
    private static final class Florence2Listener implements TrainingListener, VqaAnswerer.Listener {
        private final Listener listener;
        private StopSignal.Reason stopReason;

        Florence2Listener(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void progress(long step, long totalSteps, double loss, double samplesPerSecond, double learningRate) {
            listener.progress("train", step, totalSteps, loss, samplesPerSecond);
            listener.training(loss, learningRate);
        }

        @Override
        public void progress(long done, long total, double questionsPerSecond) {
            listener.progress("eval", done, total, null, questionsPerSecond);
        }

        @Override
        public void stepSkipped(long step, double lossScale) {
            listener.stepSkipped(step, lossScale);
        }

        @Override
        public void checkpoint(long step, Path dir) {
            listener.checkpoint(step, dir);
        }

        @Override
        public void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {
            listener.samples(step, now, all);
        }

        @Override
        public boolean stopRequested() {
            StopSignal.Reason reason = listener.stopRequested();
            if (stopReason == null) {
                stopReason = reason;
            }
            return reason != null;
        }
    }

    private TrainOptions trainOptions(TrialSpec spec, Compression compression) {
        TrainSettings t = spec.train();
        TrainOptions.Builder b = TrainOptions.builder()
                .compression(compression)
                .seed(spec.seed())
                .threads(config.threads())
                .progressIntervalSeconds(config.progressIntervalSeconds());
        if (t == null) {
            return b.build();
        }
        if (t.trainable() != null) b.trainable(Trainable.parse(t.trainable()));
        if (t.optimizer() != null) b.optimizer(OptimizerKind.parse(t.optimizer()));
        if (t.lrSchedule() != null) b.lrSchedule(LrScheduleKind.parse(t.lrSchedule()));
        if (t.learningRate() != null) b.learningRate(t.learningRate());
        if (t.warmupSteps() != null) b.warmupSteps(t.warmupSteps());
        if (t.weightDecay() != null) b.weightDecay(t.weightDecay());
        if (t.batchSize() != null) b.batchSize(t.batchSize());
        if (t.gradientAccumulation() != null) b.gradientAccumulation(t.gradientAccumulation());
        if (t.maxGradNorm() != null) b.maxGradNorm(t.maxGradNorm());
        if (t.epochs() != null) b.epochs(t.epochs());
        if (t.maxSteps() != null) b.maxSteps(t.maxSteps());
        if (t.checkpointEverySteps() != null) b.checkpointEverySteps(t.checkpointEverySteps());
        if (t.lora() != null) {
            LoraSettings l = t.lora();
            b.lora(LoraDefaults.of(l.rank(), l.alpha(), l.dropout(), l.targetModules(), l.rslora()));
        }
        if (t.sampleEveryNSteps() != null) b.sampleEveryNSteps(t.sampleEveryNSteps());
        if (t.precision() != null) b.precision(Precision.parse(t.precision()));
        if (t.compressionSchedule() != null && !t.compressionSchedule().isEmpty()) {
            List<CompressionSchedule.Phase> phases = t.compressionSchedule().stream()
                    .map((StagedCompression p) -> new CompressionSchedule.Phase(p.untilStep(), p.stage(), p.factor()))
                    .toList();
            b.compressionSchedule(phases);
        }
        return b.build();
    }

    /** A LoRA setting the model cannot take (a rank above a layer's sides) fails the same way on every worker. */
    private static void checkLoraFits(Florence2Pipeline pipeline, TrainOptions options, TrialSpec spec) {
        if (spec.train() == null || options.lora() == null) {
            return;
        }
        try {
            LoraAdapters.checkFits(pipeline.model(), options.lora());
        } catch (IllegalArgumentException e) {
            throw new TrialFailure("LoRA does not fit model '" + spec.model() + "': " + e.getMessage(), false, e);
        }
    }

    private EvalOptions evalOptions(EvalSettings e) {
        EvalOptions o = EvalOptions.defaults();
        if (e != null) {
            if (e.numBeams() != null) o = o.withNumBeams(e.numBeams());
            if (e.maxNewTokens() != null) o = o.withMaxNewTokens(e.maxNewTokens());
            if (e.noRepeatNgramSize() != null) o = o.withNoRepeatNgramSize(e.noRepeatNgramSize());
            if (e.prompt() != null) o = o.withPromptTemplate(e.prompt());
            if (e.batchSize() != null) o = o.withBatchSize(e.batchSize());
            if (e.precision() != null) o = o.withPrecision(Precision.parse(e.precision()));
        }
        return o;
    }
}
