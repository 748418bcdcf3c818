package ai.vtc.florence2.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.compress.CompressionMode;
import ai.vtc.florence2.compress.CompressionSchedule;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.lora.LoraAdapters;
import ai.vtc.florence2.lora.PeftAdapterFolder;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.optim.AdamW;
import ai.vtc.optim.AdamWConfig;
import ai.vtc.optim.DeterministicRng;
import ai.vtc.optim.GradientAccumulator;
import ai.vtc.optim.Gradients;
import ai.vtc.optim.Optimizer;
import ai.vtc.optim.Scheduler;
import ai.vtc.optim.Soap;
import ai.vtc.optim.SoapConfig;
import ai.vtc.optim.StateShapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes Florence-2 on question/answer examples: seq2seq cross-entropy on the answer tokens (padding ignored),
 * compression (constant or staged) inside the language encoder, AdamW or SOAP over the trainable set, a learning-rate
 * schedule with warm-up, gradient accumulation and clipping. Deterministic for a seed on the CPU; a run resumed from
 * one of its checkpoints continues with exactly the losses of an uninterrupted run. Every sample's question id is its
 * key for the compression (random draws its tokens from the trial seed and that id), so the same question keeps the
 * same tokens in any batch, epoch or resumed run; downsample trains on its smaller images.
 *
 * <p>Precision ({@link TrainOptions#precision()}): the forward pass and the loss run under {@link Autocast} (products in
 * bf16 or fp16, the rest float32), the backward pass follows the graph, and weights, gradients and the optimizer state
 * stay float32. fp16 scales the loss dynamically ({@link LossScaler}): a step whose gradients overflow is skipped (its
 * loss still recorded), the scale lowered and the listener told ({@link TrainingListener#stepSkipped}).
 *
 * <p>Memory: each micro-batch's inputs, activations and autograd graph live in a sub-manager and an {@link NDScope}
 * closed at the end of the micro-batch, the gradient handles in a scope closed after the optimizer step, so native
 * memory stays flat over any number of steps.
 */
public final class Trainer {
    /** The folder under the work folder that a finished LoRA run saves its adapters to (PEFT's format). */
    public static final String ADAPTER = "adapter";

    private static final String LORA = "lora";

    private final TrainRequest request;
    private final TrainOptions options;
    private final Florence2Pipeline pipeline;
    private final Florence2Model model;
    private final TrainingListener listener;
    private final Map<Compression, EncoderStageHook> hooks = new HashMap<>();
    /** The run's LoRA adapters, null when it fine-tunes the model's own weights. */
    private LoraAdapters lora;
    /** The parameters this run updates, by checkpoint name. */
    private Map<String, Param> trainable;
    /** Where this run's vision features come from; null when the vision tower runs on the pixels. */
    private VisionFeatures vision;
    /** Answers to the fixed examples, null unless {@link TrainOptions#sampleEveryNSteps()} is set. */
    private TrainingSamples sampler;

    private Trainer(TrainRequest request, Florence2Pipeline pipeline, TrainingListener listener) {
        this.request = request;
        this.options = request.options();
        this.pipeline = pipeline;
        this.model = pipeline.model();
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Trains until the planned steps are done or the listener asks to stop (then a checkpoint is written first). From a
     * model folder, the trained model is saved to {@code workDir/model} when the run finishes.
     */
    public static TrainResult train(TrainRequest request, TrainingListener listener) {
        if (request.options().threads() > 0) {
            JniUtils.setNumThreads(request.options().threads());
        }
        if (request.pipeline() != null) {
            return new Trainer(request, request.pipeline(), listener).run();
        }
        try (Florence2Pipeline loaded = Florence2Pipeline.load(request.modelDir())) {
            TrainResult result = new Trainer(request, loaded, listener).run();
            if (!result.finished()) {
                return result;
            }
            Path out = request.workDir().resolve("model");
            loaded.save(out);
            return new TrainResult(
                    result.status(),
                    result.steps(),
                    result.totalSteps(),
                    result.finalLoss(),
                    result.losses(),
                    result.lastCheckpoint(),
                    out,
                    result.seconds());
        }
    }

    /**
     * With LoRA, a finished run saves the adapters to {@code workDir/}{@value #ADAPTER} (PEFT's folder) and merges them
     * into the model, which is then trained in place like a fully fine-tuned one; a stopped run removes them.
     */
    private TrainResult run() {
        long started = System.nanoTime();
        CompressionSchedule schedule = options.schedule().validateFor(model.config(), pipeline.imageProcessor());
        for (Compression c : schedule.settings()) {
            hooks.put(c, CompressionHooks.forModel(model, c)); // creates the learnable weight if needed
        }
        lora = options.lora() == null ? null : LoraAdapters.attach(model, options.lora(), options.seed());
        try {
            TrainResult result = train(schedule, started);
            if (lora != null && result.finished()) {
                PeftAdapterFolder.save(lora, request.workDir().resolve(ADAPTER), baseModelName(), learnablePool());
                lora.merge();
            }
            return result;
        } finally {
            if (lora != null) {
                lora.close();
            }
        }
    }

    private TrainResult train(CompressionSchedule schedule, long started) {
        List<Example> examples = request.examples();
        trainable = lora == null ? options.trainable().select(model, options.compression()) : loraTrainable();
        sampler = options.sampleEveryNSteps() > 0 ? new TrainingSamples(examples, options.promptTemplate()) : null;
        long totalSteps = options.totalSteps(examples.size());
        DataOrder order = new DataOrder(examples.size(), options.seed());
        TrainingCheckpoint.State resumed = null;
        if (request.resumeFrom() != null) {
            resumed = TrainingCheckpoint.readState(request.resumeFrom());
            checkCompatible(resumed, examples.size(), totalSteps);
            if (lora == null) {
                TrainingCheckpoint.readModel(request.resumeFrom(), model);
            } else {
                TrainingCheckpoint.readWeights(request.resumeFrom(), trainable); // the base stays the model folder's
            }
            if (sampler != null) {
                sampler.restore(request.resumeFrom());
            }
            order.restore(resumed.epoch(), resumed.cursor(), resumed.dataRngState());
        }
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        trainable.forEach((name, p) -> parameters.put(name, p.array()));
        Path checkpoints = request.workDir().resolve("checkpoints");
        Florence2ImageProcessor processor =
                options.compression().imageProcessor(pipeline.imageProcessor()); // downsample: a smaller image
        PixelCache pixels = new PixelCache(options.pixelCacheBytes());
        vision = request.visionFeatures() != null
                        && VisionFeatures.shareable(options.trainable(), options.lora(), options.compression())
                ? new VisionFeatures(request.visionFeatures(), model, processor, pixels, options.precision())
                : null;
        BatchEncoder encoder = new BatchEncoder(
                pipeline.tokenizer(),
                processor,
                vision == null ? pixels : null, // shared features: no pixels unless the vision tower must run
                options.promptTemplate(),
                model.config().textConfig());
        List<Double> losses = new ArrayList<>();
        LossScaler scaler = resumed == null
                ? LossScaler.forPrecision(options.precision())
                : LossScaler.resumed(options.precision(), resumed);
        try (Optimizer optimizer = newOptimizer()) {
            Scheduler scheduler = new Scheduler(
                    options.lrSchedule().create(options.learningRate(), options.warmupSteps(), totalSteps));
            DeterministicRng engineRng = new DeterministicRng("rng", options.seed());
            long step = 0;
            if (resumed != null) {
                try (NDManager scope = model.manager().newSubManager()) {
                    Map<String, NDArray> state = TrainingCheckpoint.readOptimizer(request.resumeFrom(), scope);
                    StateShapes.requireMatches(state, parameters);
                    optimizer.loadState(state);
                    scheduler.loadState(state);
                }
                step = resumed.step();
                for (double l : resumed.losses()) {
                    losses.add(l);
                }
            }
            parameters.values().forEach(p -> p.setRequiresGradient(true));
            try {
                return loop(
                        step,
                        totalSteps,
                        schedule,
                        order,
                        encoder,
                        optimizer,
                        scheduler,
                        engineRng,
                        scaler,
                        parameters,
                        checkpoints,
                        losses,
                        started);
            } finally {
                parameters.values().forEach(p -> p.setRequiresGradient(false));
            }
        }
    }

    private TrainResult loop(
            long firstStep,
            long totalSteps,
            CompressionSchedule schedule,
            DataOrder order,
            BatchEncoder encoder,
            Optimizer optimizer,
            Scheduler scheduler,
            DeterministicRng engineRng,
            LossScaler scaler,
            Map<String, NDArray> parameters,
            Path checkpoints,
            List<Double> losses,
            long started) {
        List<Example> examples = request.examples();
        GradientAccumulator accumulator = new GradientAccumulator(options.gradientAccumulation());
        Engine engine = Engine.getEngine("PyTorch");
        long step = firstStep;
        long samples = 0;
        long lastReport = System.nanoTime();
        Path lastCheckpoint = firstStep > 0 ? request.resumeFrom() : null;
        long lastCheckpointStep = firstStep > 0 ? firstStep : -1;
        double loss = losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
        double learningRate = scheduler.currentLearningRate();
        while (step < totalSteps) {
            if (listener.stopRequested()) {
                if (lastCheckpointStep != step) {
                    lastCheckpoint = checkpoint(
                            checkpoints, step, totalSteps, order, optimizer, scheduler, engineRng, scaler, losses);
                }
                return result(TrainResult.Status.STOPPED, step, totalSteps, losses, lastCheckpoint, started);
            }
            Compression compression = schedule.at(step);
            ForwardOptions forward = ForwardOptions.REFERENCE
                    .withPaddingMask(options.honourPaddingMask())
                    .withEncoderHook(hooks.get(compression));
            learningRate = scheduler.currentLearningRate(); // this step's
            scheduler.apply(optimizer);
            engineRng.seedEngineForStep(step);
            double sum = 0;
            for (int micro = 0; micro < options.gradientAccumulation(); micro++) {
                List<Example> batch = order.next(examples, options.batchSize());
                sum += microBatch(engine, encoder, batch, forward, scaler);
                accumulator.microBatchDone();
                samples += batch.size();
            }
            loss = sum / options.gradientAccumulation();
            try (NDManager scope = model.manager().newSubManager()) {
                Map<String, NDArray> gradients = accumulator.averagedGradients(parameters, scope);
                if (!scaler.unscaleAndUpdate(gradients.values())) {
                    listener.stepSkipped(step + 1, scaler.scale());
                    gradients = null; // an overflow under fp16: no update this step
                }
                boolean finite = gradients == null || Double.isFinite(loss);
                if (gradients != null && options.maxGradNorm() > 0) {
                    finite &= Double.isFinite(Gradients.clipByGlobalNorm(gradients, options.maxGradNorm()));
                }
                if (!finite) {
                    List<String> nonFinite = nonFiniteNames(gradients);
                    throw new IllegalStateException("training diverged at step " + (step + 1) + ": loss " + loss
                            + (nonFinite.isEmpty() ? "" : ", non-finite gradients in " + nonFinite)
                            + "; lower the learning rate or enable gradient clipping");
                }
                if (gradients != null) {
                    optimizer.step(parameters, gradients);
                }
            }
            accumulator.reset(parameters.values());
            scheduler.advance();
            step++;
            losses.add(loss);
            if (sampler != null && step % options.sampleEveryNSteps() == 0) {
                List<TrainingSample> answered = sampler.sample(pipeline, options.compression(), step);
                sampler.write(request.workDir().resolve(TrainingSamples.FILE));
                listener.samples(step, answered, sampler.recorded());
            }
            if (options.checkpointEverySteps() > 0
                    && (step % options.checkpointEverySteps() == 0 || step == totalSteps)) {
                lastCheckpoint = checkpoint(
                        checkpoints, step, totalSteps, order, optimizer, scheduler, engineRng, scaler, losses);
                lastCheckpointStep = step;
            }
            long now = System.nanoTime();
            if (step == totalSteps || (now - lastReport) / 1e9 >= options.progressIntervalSeconds()) {
                lastReport = now;
                listener.progress(step, totalSteps, loss, samples / ((now - started) / 1e9), learningRate);
            }
        }
        if (firstStep >= totalSteps) {
            listener.progress(step, totalSteps, loss, 0, learningRate);
        }
        return result(TrainResult.Status.FINISHED, step, totalSteps, losses, lastCheckpoint, started);
    }

    /**
     * Forward (under the run's precision) and backward of one micro-batch; gradients add up on the parameters, scaled
     * by the loss scale. Returns the (unscaled) loss.
     */
    private double microBatch(
            Engine engine, BatchEncoder encoder, List<Example> batch, ForwardOptions forward, LossScaler scaler) {
        if (lora != null) {
            lora.training(true); // LoRA dropout, drawn from the engine generator seeded for this step
        }
        try (NDManager scratch = model.manager().newSubManager();
                NDScope scope = new NDScope();
                GradientCollector collector = engine.newGradientCollector()) {
            scope.suppressNotUsedWarning();
            BatchEncoder.Training t = encoder.training(scratch, batch);
            NDArray loss;
            try (Autocast ignored = Autocast.enter(options.precision())) {
                NDArray logits = model.forward(
                        vision == null
                                ? model.visionFeatures(t.inputs().pixelValues(), Trace.NONE)
                                : vision.batch(
                                        scratch,
                                        batch.stream().map(Example::image).toList()),
                        t.inputs().inputIds(),
                        t.inputs().attentionMask(),
                        t.decoderInputIds(),
                        forward.withSampleKeys(t.inputs().questionIds()), // random: the same tokens per question
                        Trace.NONE); // [B, U, V], float32
                loss = Seq2SeqLoss.crossEntropy(logits, t.labels(), encoder.pad());
            }
            collector.backward(scaler.scaled(loss));
            return loss.getFloat();
        } finally {
            if (lora != null) {
                lora.training(false);
            }
        }
    }

    private Path checkpoint(
            Path parent,
            long step,
            long totalSteps,
            DataOrder order,
            Optimizer optimizer,
            Scheduler scheduler,
            DeterministicRng engineRng,
            LossScaler scaler,
            List<Double> losses) {
        Path dir;
        try (NDManager scope = model.manager().newSubManager()) {
            Map<String, NDArray> state = new LinkedHashMap<>(optimizer.state());
            state.putAll(scheduler.state(scope));
            state.putAll(engineRng.state(scope));
            TrainingCheckpoint.State s = new TrainingCheckpoint.State(
                    TrainingCheckpoint.FORMAT,
                    step,
                    totalSteps,
                    request.examples().size(),
                    options.seed(),
                    order.epoch(),
                    order.cursor(),
                    order.epochStartState(),
                    scheduler.position(),
                    options.optimizer().id(),
                    trainableId(),
                    options.compression().toString(),
                    scheduler.currentLearningRate(),
                    losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1),
                    losses.stream().mapToDouble(Double::doubleValue).toArray(),
                    options.precision().id(),
                    scaler.scale(),
                    scaler.goodSteps(),
                    scaler.skippedSteps(),
                    Map.of());
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + parent, e);
            }
            dir = TrainingCheckpoint.write(parent, checkpointWeights(), state, s, this::writeCheckpointExtras);
        }
        listener.checkpoint(step, dir);
        TrainingCheckpoint.prune(parent, options.keepCheckpoints());
        return dir;
    }

    private void checkCompatible(TrainingCheckpoint.State state, int examples, long totalSteps) {
        List<String> problems = new ArrayList<>();
        if (state.examples() != examples) {
            problems.add("it was written for " + state.examples() + " examples, this run has " + examples);
        }
        if (state.seed() != options.seed()) {
            problems.add("it was written with seed " + state.seed() + ", this run uses " + options.seed());
        }
        if (state.totalSteps() != totalSteps) {
            problems.add("it was written for " + state.totalSteps() + " steps, this run plans " + totalSteps);
        }
        if (!state.optimizer().equals(options.optimizer().id())) {
            problems.add("it was written by " + state.optimizer() + ", this run uses "
                    + options.optimizer().id());
        }
        boolean wasLora = LORA.equals(state.trainable());
        if (wasLora != (lora != null)) {
            problems.add("it was written training " + state.trainable() + ", this run trains " + trainableId());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot resume from " + request.resumeFrom() + ": " + String.join("; ", problems));
        }
    }

    /** LoRA trains its adapters and, when the trial pools with learnable_pool, the pooling weight. */
    private Map<String, Param> loraTrainable() {
        Map<String, Param> out = new LinkedHashMap<>(lora.parameters());
        if (learnablePool()) {
            model.visualPoolingWeight().ifPresent(p -> out.put(p.name(), p));
        }
        return out;
    }

    private boolean learnablePool() {
        return options.compression().mode() == CompressionMode.LEARNABLE_POOL;
    }

    private String trainableId() {
        return lora == null ? options.trainable().id() : LORA;
    }

    /** Every weight of the model for full fine-tuning; with LoRA only the trained tensors (the base never changes). */
    private Map<String, NDArray> checkpointWeights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        if (lora == null) {
            model.parameters().params().forEach(p -> weights.put(p.name(), p.array()));
        } else {
            trainable.forEach((name, p) -> weights.put(name, p.array()));
        }
        return weights;
    }

    /**
     * The samples so far next to the checkpoint's tensors, and either the files that make a full fine-tuning
     * checkpoint a model folder (config.json recording the compression, tokenizer, processor) or, with LoRA, the
     * adapters as a PEFT folder (loaded through {@code florence2 merge} with the base model folder).
     */
    private void writeCheckpointExtras(Path dir) {
        if (sampler != null) {
            sampler.write(dir.resolve(TrainingSamples.FILE));
        }
        if (lora == null) {
            TrainingCheckpoint.writeModelFiles(dir, pipeline, options.compression());
        } else {
            PeftAdapterFolder.save(lora, dir, baseModelName(), learnablePool());
        }
    }

    /** base_model_name_or_path of saved adapters. */
    private String baseModelName() {
        return request.baseModelName();
    }

    private static List<String> nonFiniteNames(Map<String, NDArray> gradients) {
        return gradients.entrySet().stream()
                .filter(g -> !Double.isFinite(g.getValue().abs().sum().getFloat()))
                .map(Map.Entry::getKey)
                .sorted()
                .limit(12)
                .toList();
    }

    private Optimizer newOptimizer() {
        return switch (options.optimizer()) {
            case ADAMW ->
                new AdamW(
                        model.manager(),
                        AdamWConfig.defaults()
                                .withLearningRate(options.learningRate())
                                .withWeightDecay(options.weightDecay()));
            case SOAP ->
                new Soap(
                        model.manager(),
                        SoapConfig.defaults()
                                .withLearningRate(options.learningRate())
                                .withWeightDecay(options.weightDecay())
                                .withMaxPrecondDim(options.soapMaxPreconditionDim()));
        };
    }

    private static TrainResult result(
            TrainResult.Status status, long step, long total, List<Double> losses, Path checkpoint, long started) {
        return new TrainResult(
                status,
                step,
                total,
                losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1),
                losses.stream().mapToDouble(Double::doubleValue).toArray(),
                checkpoint,
                null,
                (System.nanoTime() - started) / 1e9);
    }
}
