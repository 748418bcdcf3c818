package ai.vtc.florence2.cli;

import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.train.CaptionAugment;
import ai.vtc.florence2.train.CaptionData;
import ai.vtc.florence2.train.Example;
import ai.vtc.florence2.train.LrScheduleKind;
import ai.vtc.florence2.train.OptimizerKind;
import ai.vtc.florence2.train.TrainOptions;
import ai.vtc.florence2.train.TrainRequest;
import ai.vtc.florence2.train.TrainResult;
import ai.vtc.florence2.train.Trainable;
import ai.vtc.florence2.train.Trainer;
import ai.vtc.florence2.train.TrainingListener;
import ai.vtc.florence2.train.TrainingSample;
import ai.vtc.florence2.train.VqaData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code florence2 train --model DIR --data DIR [--subset NAME] [--compression ...] --out DIR}: fine-tunes on the train
 * split of a VQAv2-layout folder and writes {@code <out>/model/} (the trained model), {@code
 * <out>/checkpoints/step-<n>/} and {@code <out>/train.json} (steps, losses, wall time); with {@code --lora} also
 * {@code <out>/adapter/} (PEFT's folder; {@code <out>/model/} is then the merged model). Ctrl-C writes a checkpoint
 * before exiting; {@code --resume} continues from the newest one.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fine-tune on the train split of a VQAv2-layout folder (e.g. from `vqa synth`).",
            "The defaults are a sweep's (SpecDefaults in the contracts module), except --checkpoint-every."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "model folder to start from")
    Path model;

    @Option(names = "--data", required = true, description = "VQAv2-layout folder (questions, annotations, images)")
    Path data;

    @Option(names = "--split", defaultValue = "train", description = "split to train on (default: ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--subset",
            description = "subset manifest <data>/subsets/NAME.json, or a size (10%%, 500); default: the whole split")
    String subset;

    @Mixin
    CompressionOptions compression;

    @Option(
            names = "--trainable",
            defaultValue = SpecDefaults.TRAINABLE,
            description = "pooling, language or all (default: ${DEFAULT-VALUE})")
    String trainable;

    @Mixin
    LoraOptions lora;

    @Option(
            names = "--sample-every",
            defaultValue = "0",
            description = "every N steps answer " + SpecDefaults.SAMPLE_COUNT + " fixed training questions, print the"
                    + " answers and write <out>/samples.json; 0: never (default)")
    long sampleEvery;

    @Option(names = "--steps", defaultValue = "0", description = "optimizer steps; 0: from --epochs (default)")
    long steps;

    @Option(
            names = "--epochs",
            defaultValue = "" + SpecDefaults.EPOCHS,
            description = "passes when --steps is 0 (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "" + SpecDefaults.BATCH_SIZE,
            description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--grad-accum",
            defaultValue = "" + SpecDefaults.GRADIENT_ACCUMULATION,
            description = "micro-batches per step (default: ${DEFAULT-VALUE})")
    int gradientAccumulation;

    @Option(
            names = "--lr",
            defaultValue = "" + SpecDefaults.LEARNING_RATE,
            description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(
            names = "--optimizer",
            defaultValue = SpecDefaults.OPTIMIZER,
            description = "adamw or soap (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(
            names = "--schedule",
            defaultValue = SpecDefaults.LR_SCHEDULE,
            description = "constant, linear, cosine or one_cycle (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(
            names = "--warmup",
            defaultValue = "" + SpecDefaults.WARMUP_STEPS,
            description = "warm-up steps (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(
            names = "--weight-decay",
            defaultValue = "" + SpecDefaults.WEIGHT_DECAY,
            description = "(default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(
            names = "--max-grad-norm",
            defaultValue = "" + SpecDefaults.MAX_GRAD_NORM,
            description = "0: no clipping (default: ${DEFAULT-VALUE})")
    double maxGradNorm;

    @Option(
            names = "--prompt",
            description = "template with {question} (default: the task's, <VQA>{question} or <DocVQA>{question})")
    String prompt;

    @Option(
            names = "--task",
            defaultValue = "vqa",
            converter = TaskConverter.class,
            description = "vqa (--data in the VQAv2 layout) or docvqa (DocVQA's: <split>/<name>.json with its"
                    + " documents; trains on answers[0]) (default: ${DEFAULT-VALUE})")
    DatasetTask task;

    @Option(
            names = "--captions",
            description = "--data is a caption folder (image + .txt pairs, or metadata.jsonl) instead of questions;"
                    + " the model learns to answer --caption-prompt with the caption")
    boolean captions;

    @Option(
            names = "--caption-prompt",
            defaultValue = CaptionData.DEFAULT_PROMPT,
            description = "with --captions, the dataset's task prompt (default: ${DEFAULT-VALUE})")
    String captionPrompt;

    @Option(
            names = "--caption-shuffle",
            description = "with --captions, split each caption on commas and shuffle the parts (drawn per example"
                    + " with --seed)")
    boolean captionShuffle;

    @Option(
            names = "--caption-dropout",
            defaultValue = "0",
            description =
                    "with --captions, the probability of training on an empty caption (default: ${DEFAULT-VALUE})")
    double captionDropout;

    @Option(
            names = "--seed",
            defaultValue = "" + SpecDefaults.SEED,
            description = "the trial seed: order of the training examples and, for --compression random, the tokens"
                    + " kept (default: ${DEFAULT-VALUE}); training runs without dropout and drop-path (LoRA's adapter"
                    + " dropout aside, drawn from the seed)")
    long seed;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "0",
            description = "write a checkpoint every N steps and at the end; 0: only when interrupted (default; a"
                    + " sweep's trials use " + SpecDefaults.CHECKPOINT_EVERY_STEPS + ")")
    long checkpointEvery;

    @Option(
            names = "--resume",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "CHECKPOINT",
            description = "continue from a checkpoint folder; without a value the newest in <out>/checkpoints")
    String resume;

    @Option(names = "--out", required = true, description = "work folder: model/, checkpoints/, train.json")
    Path out;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        VqaInputs.requireModel(model);
        Compression c = compression.resolve(seed); // the trial seed: data order, and random's tokens
        TrainOptions options = TrainOptions.builder()
                .compression(c)
                .trainable(Trainable.parse(trainable))
                .optimizer(OptimizerKind.parse(optimizer))
                .lrSchedule(LrScheduleKind.parse(schedule))
                .learningRate(learningRate)
                .warmupSteps(warmup)
                .weightDecay(weightDecay)
                .batchSize(batchSize)
                .gradientAccumulation(gradientAccumulation)
                .maxGradNorm(maxGradNorm)
                .epochs(epochs)
                .maxSteps(steps)
                .seed(seed)
                .checkpointEverySteps(checkpointEvery)
                .promptTemplate(captions ? "{question}" : VqaInputs.prompt(prompt, task))
                .threads(runtime.threads)
                .progressIntervalSeconds(1)
                .lora(lora.resolve())
                .sampleEveryNSteps(sampleEvery)
                .build();
        List<Example> examples;
        if (captions) {
            if (subset != null) {
                throw new IllegalArgumentException("--subset takes question subsets; a caption folder is used whole");
            }
            examples = new CaptionAugment(captionShuffle, captionDropout, seed)
                    .apply(CaptionData.load(data, captionPrompt));
        } else {
            VqaData train = VqaInputs.split(data, split, task, out.resolve("docvqa-staging"));
            examples = train.examples(VqaInputs.subset(train, data, subset), true);
        }
        Path resumeFrom = resumeFolder();
        long perStep = (long) batchSize * gradientAccumulation;
        stdout.printf(
                "training on %d %s questions%s, %s, %d steps of %d%n",
                examples.size(),
                split,
                subset == null ? "" : " (subset " + subset + ")",
                c,
                options.totalSteps(examples.size()),
                perStep);
        stdout.flush();
        ProgressBar bar = new ProgressBar(stderr, "train");
        Interrupt interrupt = new Interrupt();
        TrainResult result;
        try (Florence2Pipeline pipeline = Florence2Pipeline.load(model, runtime.resolve())) {
            TrainRequest request = TrainRequest.of(pipeline, examples, options, out)
                    .resumingFrom(resumeFrom)
                    .withBaseModelName(model.toString());
            interrupt.install();
            try {
                result = Trainer.train(request, new TrainingListener() {
                    @Override
                    public void progress(long step, long totalSteps, double loss, double samplesPerSecond) {
                        double eta = (totalSteps - step) * perStep / samplesPerSecond;
                        bar.update(
                                step,
                                totalSteps,
                                String.format("loss %.4f | %.1f samples/s", loss, samplesPerSecond),
                                eta);
                    }

                    @Override
                    public void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {
                        bar.finish();
                        now.forEach(s -> stdout.printf(
                                "step %d, question %d: %s -> %s (target %s)%n",
                                step, s.questionId(), s.question(), s.answer(), s.target()));
                        stdout.flush();
                    }

                    @Override
                    public boolean stopRequested() {
                        return interrupt.requested.get();
                    }
                });
                bar.finish();
                if (result.finished()) {
                    pipeline.save(out.resolve("model"));
                }
                writeSummary(result, c, examples.size());
            } finally {
                interrupt.done();
            }
        }
        if (!result.finished()) {
            stdout.printf(
                    "stopped at step %d of %d; checkpoint %s (continue with --resume)%n",
                    result.steps(), result.totalSteps(), result.lastCheckpoint());
            return 130;
        }
        double[] losses = result.losses();
        stdout.printf(
                "trained %d steps in %.1f s, loss %.4f -> %.4f; model: %s%n",
                result.steps(),
                result.seconds(),
                losses.length == 0 ? Double.NaN : losses[0],
                result.finalLoss(),
                out.resolve("model"));
        return 0;
    }

    private Path resumeFolder() {
        if (resume == null) {
            return null;
        }
        if (!resume.isEmpty()) {
            Path dir = Path.of(resume);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--resume " + dir + ": no such checkpoint folder");
            }
            return dir;
        }
        Path checkpoints = out.resolve("checkpoints");
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> dirs = Files.list(checkpoints)) {
                return dirs.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                        .max(Comparator.comparingLong(
                                p -> Long.parseLong(p.getFileName().toString().substring(5))))
                        .orElseThrow(() -> noCheckpoint(checkpoints));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + checkpoints, e);
            }
        }
        throw noCheckpoint(checkpoints);
    }

    private static IllegalArgumentException noCheckpoint(Path checkpoints) {
        return new IllegalArgumentException("--resume: no step-<n> checkpoint in " + checkpoints);
    }

    private void writeSummary(TrainResult result, Compression c, int examples) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
        summary.put("steps", result.steps());
        summary.put("total_steps", result.totalSteps());
        summary.put("examples", examples);
        summary.put("compression", c.toString());
        summary.put("seconds", result.seconds());
        summary.put("final_loss", Double.isNaN(result.finalLoss()) ? null : result.finalLoss());
        summary.put(
                "last_checkpoint",
                result.lastCheckpoint() == null ? null : result.lastCheckpoint().toString());
        summary.put("losses", result.losses());
        try {
            Files.createDirectories(out);
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(out.resolve("train.json").toFile(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("train.json"), e);
        }
    }

    /** Ctrl-C asks the trainer to stop; the JVM waits (up to a minute) until the checkpoint is written. */
    private static final class Interrupt {
        final AtomicBoolean requested = new AtomicBoolean();
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread hook = new Thread(() -> {
            requested.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        void install() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void done() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that training has ended
            }
        }
    }
}
