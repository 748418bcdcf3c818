package ai.vtc.florence2.train;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionSchedule;
import ai.vtc.florence2.lora.LoraConfig;
import java.util.List;

/**
 * Settings of a training run. Build with {@link #builder()} (defaults below) or {@link #toBuilder()}. The defaults of
 * what a sweep also sets are the sweep's, read from {@link SpecDefaults}; the rest (checkpoints, threads, caches) are
 * this runner's own.
 *
 * @param compression the trial's compression: used for training (after any staged phases) and as the inference setting
 * @param compressionSchedule staged phases {@code {until_step, stage, factor}} before {@code compression} applies
 * @param trainable pooling / language / all (default {@value SpecDefaults#TRAINABLE})
 * @param optimizer adamw or soap (default {@value SpecDefaults#OPTIMIZER})
 * @param learningRate peak learning rate (default {@value SpecDefaults#LEARNING_RATE})
 * @param lrSchedule constant / linear / cosine / one_cycle (default {@value SpecDefaults#LR_SCHEDULE})
 * @param warmupSteps linear warm-up optimizer steps (default {@value SpecDefaults#WARMUP_STEPS}; one_cycle: its rising
 *     phase, 0 = 30%)
 * @param weightDecay decoupled weight decay, not applied to biases, norms and 1-D tensors (default {@value
 *     SpecDefaults#WEIGHT_DECAY})
 * @param batchSize examples per micro-batch (default {@value SpecDefaults#BATCH_SIZE})
 * @param gradientAccumulation micro-batches per optimizer step (default {@value SpecDefaults#GRADIENT_ACCUMULATION})
 * @param maxGradNorm clip the global gradient norm to this; 0 disables clipping (default {@value
 *     SpecDefaults#MAX_GRAD_NORM})
 * @param epochs passes over the examples, used when {@code maxSteps} is 0 (default {@value SpecDefaults#EPOCHS})
 * @param maxSteps optimizer steps; 0 derives them from {@code epochs} (default 0)
 * @param seed data order and engine seeding (default {@value SpecDefaults#SEED})
 * @param checkpointEverySteps write a checkpoint every this many steps and at the end; 0 only on a stop request
 *     (default 0; a sweep's trials use {@link SpecDefaults#CHECKPOINT_EVERY_STEPS})
 * @param keepCheckpoints local checkpoint folders kept (the newest ones; default 2)
 * @param promptTemplate prompt with {@code {question}} (default {@value SpecDefaults#PROMPT})
 * @param threads libtorch intra-op threads; 0 leaves the engine's setting (default 0)
 * @param honourPaddingMask mask prompt padding in the encoder and cross-attention (default true; batches then give
 *     the same result as single examples)
 * @param progressIntervalSeconds seconds between progress reports (default 3)
 * @param pixelCacheBytes preprocessed images kept in memory (default 512 MiB)
 * @param soapMaxPreconditionDim SOAP: tensor sides longer than this get no preconditioner (default 10000, the
 *     reference's; SOAP's eigendecompositions run on the host, so a smaller value is much faster on the CPU)
 * @param lora LoRA adapters to train instead of the model's weights (null: full fine-tuning by {@code trainable});
 *     only the adapters and, with learnable_pool, the pooling weight train
 * @param sampleEveryNSteps every this many steps, answer {@value SpecDefaults#SAMPLE_COUNT} fixed training examples
 *     and record the answers ({@link TrainingSamples}); 0 never (default 0)
 */
public record TrainOptions(
        Compression compression,
        List<CompressionSchedule.Phase> compressionSchedule,
        Trainable trainable,
        OptimizerKind optimizer,
        double learningRate,
        LrScheduleKind lrSchedule,
        long warmupSteps,
        double weightDecay,
        int batchSize,
        int gradientAccumulation,
        double maxGradNorm,
        int epochs,
        long maxSteps,
        long seed,
        long checkpointEverySteps,
        int keepCheckpoints,
        String promptTemplate,
        int threads,
        boolean honourPaddingMask,
        double progressIntervalSeconds,
        long pixelCacheBytes,
        int soapMaxPreconditionDim,
        LoraConfig lora,
        long sampleEveryNSteps) {

    public TrainOptions {
        compressionSchedule = List.copyOf(compressionSchedule);
        require(learningRate >= 0, "learning_rate must be >= 0, got " + learningRate);
        require(warmupSteps >= 0, "warmup_steps must be >= 0, got " + warmupSteps);
        require(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
        require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
        require(gradientAccumulation >= 1, "gradient_accumulation must be >= 1, got " + gradientAccumulation);
        require(maxGradNorm >= 0, "max_grad_norm must be >= 0 (0 disables clipping), got " + maxGradNorm);
        require(epochs >= 1 || maxSteps >= 1, "epochs or max_steps must be >= 1");
        require(maxSteps >= 0, "max_steps must be >= 0 (0: from epochs), got " + maxSteps);
        require(checkpointEverySteps >= 0, "checkpoint_every_steps must be >= 0, got " + checkpointEverySteps);
        require(keepCheckpoints >= 1, "keep_checkpoints must be >= 1, got " + keepCheckpoints);
        require(
                promptTemplate != null && promptTemplate.contains("{question}"),
                "prompt template must contain {question}, got \"" + promptTemplate + "\"");
        require(threads >= 0, "threads must be >= 0, got " + threads);
        require(soapMaxPreconditionDim >= 1, "soap_max_precondition_dim must be >= 1, got " + soapMaxPreconditionDim);
        require(sampleEveryNSteps >= 0, "sample_every_n_steps must be >= 0 (0: never), got " + sampleEveryNSteps);
        new CompressionSchedule(compression, compressionSchedule); // validates the phases
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public CompressionSchedule schedule() {
        return new CompressionSchedule(compression, compressionSchedule);
    }

    /** Optimizer steps for {@code examples} training examples: maxSteps, or ceil(epochs * n / examples per step). */
    public long totalSteps(int examples) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        long perStep = (long) batchSize * gradientAccumulation;
        return Math.max(1, ((long) epochs * examples + perStep - 1) / perStep);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder with the defaults listed on {@link TrainOptions}. */
    public static final class Builder {
        private Compression compression = Compression.none();
        private List<CompressionSchedule.Phase> compressionSchedule = List.of();
        private Trainable trainable = Trainable.parse(SpecDefaults.TRAINABLE);
        private OptimizerKind optimizer = OptimizerKind.parse(SpecDefaults.OPTIMIZER);
        private double learningRate = SpecDefaults.LEARNING_RATE;
        private LrScheduleKind lrSchedule = LrScheduleKind.parse(SpecDefaults.LR_SCHEDULE);
        private long warmupSteps = SpecDefaults.WARMUP_STEPS;
        private double weightDecay = SpecDefaults.WEIGHT_DECAY;
        private int batchSize = SpecDefaults.BATCH_SIZE;
        private int gradientAccumulation = SpecDefaults.GRADIENT_ACCUMULATION;
        private double maxGradNorm = SpecDefaults.MAX_GRAD_NORM;
        private int epochs = SpecDefaults.EPOCHS;
        private long maxSteps;
        private long seed = SpecDefaults.SEED;
        private long checkpointEverySteps;
        private int keepCheckpoints = 2;
        private String promptTemplate = SpecDefaults.PROMPT;
        private int threads;
        private boolean honourPaddingMask = true;
        private double progressIntervalSeconds = 3;
        private long pixelCacheBytes = 512L << 20;
        private int soapMaxPreconditionDim = 10000;
        private LoraConfig lora;
        private long sampleEveryNSteps;

        private Builder() {}

        private Builder(TrainOptions o) {
            compression = o.compression;
            compressionSchedule = o.compressionSchedule;
            trainable = o.trainable;
            optimizer = o.optimizer;
            learningRate = o.learningRate;
            lrSchedule = o.lrSchedule;
            warmupSteps = o.warmupSteps;
            weightDecay = o.weightDecay;
            batchSize = o.batchSize;
            gradientAccumulation = o.gradientAccumulation;
            maxGradNorm = o.maxGradNorm;
            epochs = o.epochs;
            maxSteps = o.maxSteps;
            seed = o.seed;
            checkpointEverySteps = o.checkpointEverySteps;
            keepCheckpoints = o.keepCheckpoints;
            promptTemplate = o.promptTemplate;
            threads = o.threads;
            honourPaddingMask = o.honourPaddingMask;
            progressIntervalSeconds = o.progressIntervalSeconds;
            pixelCacheBytes = o.pixelCacheBytes;
            soapMaxPreconditionDim = o.soapMaxPreconditionDim;
            lora = o.lora;
            sampleEveryNSteps = o.sampleEveryNSteps;
        }

        public Builder compression(Compression v) {
            compression = v;
            return this;
        }

        public Builder compressionSchedule(List<CompressionSchedule.Phase> v) {
            compressionSchedule = v;
            return this;
        }

        public Builder trainable(Trainable v) {
            trainable = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder lrSchedule(LrScheduleKind v) {
            lrSchedule = v;
            return this;
        }

        public Builder warmupSteps(long v) {
            warmupSteps = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder gradientAccumulation(int v) {
            gradientAccumulation = v;
            return this;
        }

        public Builder maxGradNorm(double v) {
            maxGradNorm = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder maxSteps(long v) {
            maxSteps = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder checkpointEverySteps(long v) {
            checkpointEverySteps = v;
            return this;
        }

        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        public Builder promptTemplate(String v) {
            promptTemplate = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder honourPaddingMask(boolean v) {
            honourPaddingMask = v;
            return this;
        }

        public Builder progressIntervalSeconds(double v) {
            progressIntervalSeconds = v;
            return this;
        }

        public Builder pixelCacheBytes(long v) {
            pixelCacheBytes = v;
            return this;
        }

        public Builder soapMaxPreconditionDim(int v) {
            soapMaxPreconditionDim = v;
            return this;
        }

        public Builder lora(LoraConfig v) {
            lora = v;
            return this;
        }

        public Builder sampleEveryNSteps(long v) {
            sampleEveryNSteps = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(
                    compression,
                    compressionSchedule,
                    trainable,
                    optimizer,
                    learningRate,
                    lrSchedule,
                    warmupSteps,
                    weightDecay,
                    batchSize,
                    gradientAccumulation,
                    maxGradNorm,
                    epochs,
                    maxSteps,
                    seed,
                    checkpointEverySteps,
                    keepCheckpoints,
                    promptTemplate,
                    threads,
                    honourPaddingMask,
                    progressIntervalSeconds,
                    pixelCacheBytes,
                    soapMaxPreconditionDim,
                    lora,
                    sampleEveryNSteps);
        }
    }
}
