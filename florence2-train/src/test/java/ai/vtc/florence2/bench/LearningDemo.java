package ai.vtc.florence2.bench;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.Florence2Tokenizer;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.train.EvalOptions;
import ai.vtc.florence2.train.Example;
import ai.vtc.florence2.train.LrScheduleKind;
import ai.vtc.florence2.train.TrainOptions;
import ai.vtc.florence2.train.TrainRequest;
import ai.vtc.florence2.train.TrainResult;
import ai.vtc.florence2.train.Trainable;
import ai.vtc.florence2.train.Trainer;
import ai.vtc.florence2.train.TrainingListener;
import ai.vtc.florence2.train.VqaAnswerer;
import ai.vtc.florence2.train.VqaData;
import ai.vtc.vqa.MajorityBaseline;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The learning demo recipe end to end, as the sweep demo runs it: synthetic VQA data, the majority-answer baselines,
 * pre-training the tiny model from scratch without compression, then per trial a short compressed fine-tuning of
 * that base and an evaluation on the same val questions. Prints steps, wall time and VQAv2 accuracy per trial.
 *
 * <pre>florence2/bench.sh LearningDemo --out /tmp/demo [--pretrain-steps 400] [--trials none,avg_pool:4:0,...]</pre>
 */
@Command(name = "LearningDemo", mixinStandardHelpOptions = true)
public final class LearningDemo implements Callable<Integer> {

    @Option(names = "--out", required = true)
    Path out;

    @Option(names = "--threads", defaultValue = "2", description = "libtorch threads for data and pre-training")
    int threads;

    @Option(names = "--trial-threads", defaultValue = "1", description = "libtorch threads of each trial")
    int trialThreads;

    @Option(names = "--config", description = "model config.json (default: the tiny demo config)")
    Path config;

    @Option(names = "--image-size", defaultValue = "64")
    int imageSize;

    @Option(names = "--train-images", defaultValue = "1000")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "100")
    int valImages;

    @Option(names = "--questions-per-image", defaultValue = "5")
    int questionsPerImage;

    @Option(names = "--families", split = ",", defaultValue = "EXISTS,COUNT,COLOR,SHAPE,BACKGROUND,VERIFY,COMPARE")
    List<QuestionFamily> families;

    @Option(names = "--max-objects", defaultValue = "5")
    int maxObjects;

    @Option(names = "--shapes", defaultValue = "4")
    int shapes;

    @Option(names = "--colours", defaultValue = "6")
    int colours;

    @Option(names = "--noise", defaultValue = "1.0")
    double noise;

    @Option(names = "--data-seed", defaultValue = "0")
    long dataSeed;

    @Option(names = "--pretrain-steps", defaultValue = "400")
    int pretrainSteps;

    @Option(names = "--pretrain-lr", defaultValue = "1e-3")
    double pretrainLr;

    @Option(names = "--pretrain-schedule", defaultValue = "one_cycle")
    String pretrainSchedule;

    @Option(names = "--pretrain-warmup", defaultValue = "0")
    long pretrainWarmup;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--finetune-steps", defaultValue = "100", description = "0: training-free trials")
    int finetuneSteps;

    @Option(names = "--finetune-lr", defaultValue = "3e-4")
    double finetuneLr;

    @Option(names = "--finetune-batch-size", defaultValue = "32")
    int finetuneBatchSize;

    @Option(names = "--trainable", defaultValue = "all")
    String trainable;

    @Option(names = "--eval-questions", defaultValue = "200")
    int evalQuestions;

    @Option(names = "--num-beams", defaultValue = "1")
    int numBeams;

    @Option(names = "--trials", split = ",", defaultValue = "none,avg_pool:4:0,learnable_pool:4:0:sorted")
    List<String> trials;

    @Option(
            names = "--phase2-steps",
            defaultValue = "0",
            description = "a second pretraining phase, linear, 40 warm-up")
    int phase2Steps;

    @Option(names = "--region-splits", defaultValue = "0.5", description = "share of split backgrounds (REGION)")
    double regionSplits;

    @Option(names = "--skip-pretrain", description = "reuse <out>/base")
    boolean skipPretrain;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LearningDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchSupport.configure(threads);
        long t0 = System.nanoTime();
        Path data = out.resolve("data");
        if (!Files.exists(data.resolve("v2_mscoco_val2014_annotations.json"))) {
            SyntheticVqa.Options options = SyntheticVqa.Options.defaults()
                    .withSeed(dataSeed)
                    .withImages(trainImages, valImages)
                    .withQuestionsPerImage(questionsPerImage)
                    .withImageSize(imageSize)
                    .withFamilies(EnumSet.copyOf(families))
                    .withVocabulary(maxObjects, shapes, colours)
                    .withAnnotatorNoise(noise)
                    .withRegionSplits(regionSplits);
            // Java2D rendering on the thread that later drives libtorch made every training step 15x slower
            // (measured: 0.7 s -> 10 s for batch 32), so the images are drawn on a thread of their own.
            Thread t = new Thread(() -> {
                try {
                    SyntheticVqa.generate(data, options);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            t.start();
            t.join();
        }
        System.out.printf("data: %.1f s%n", seconds(t0));
        VqaData train = VqaData.load(data, "train");
        VqaData val = VqaData.load(data, "val");
        List<Example> trainExamples = train.examples(train.subset(data, "all"), true);
        long[] evalIds = val.subset(data, String.valueOf(evalQuestions));
        List<Example> evalExamples = val.examples(evalIds, false);
        for (MajorityBaseline.Scope scope : MajorityBaseline.Scope.values()) {
            MajorityBaseline baseline = MajorityBaseline.fit(train.annotations(), scope);
            VqaResults.Builder b = VqaResults.builder();
            for (Example e : evalExamples) {
                b.add(
                        e.questionId(),
                        baseline.answer(
                                val.annotations().questionType(val.annotations().indexOf(e.questionId()))));
            }
            System.out.printf(
                    "majority baseline (%s): %.2f%n",
                    scope,
                    VqaEvaluator.evaluate(val.annotations(), b.build(), evalIds).overall());
        }
        System.out.printf("train examples %d, eval questions %d%n", trainExamples.size(), evalExamples.size());

        Path base = out.resolve("base");
        if (!skipPretrain) {
            long t = System.nanoTime();
            Florence2Config cfg = config == null ? Florence2Config.tinyDemo() : Florence2Config.read(config);
            try (Florence2Pipeline p = Florence2Pipeline.create(
                    cfg, 0, Florence2Tokenizer.tinyDemo(), Florence2ImageProcessor.ofSize(imageSize))) {
                System.out.printf(
                        "model: %,d parameters%n", p.model().parameters().parameterCount());
                TrainOptions o = TrainOptions.builder()
                        .maxSteps(pretrainSteps)
                        .batchSize(batchSize)
                        .learningRate(pretrainLr)
                        .lrSchedule(LrScheduleKind.parse(pretrainSchedule))
                        .warmupSteps(pretrainWarmup)
                        .weightDecay(0.01)
                        .maxGradNorm(1.0)
                        .seed(0)
                        .threads(threads)
                        .progressIntervalSeconds(10)
                        .build();
                TrainResult r =
                        Trainer.train(TrainRequest.of(p, trainExamples, o, out.resolve("work-base")), printer("base"));
                if (phase2Steps > 0) {
                    evaluate("base phase 1 (none)", p, evalExamples, val, evalIds, Compression.none());
                    TrainOptions o2 = TrainOptions.builder()
                            .maxSteps(phase2Steps)
                            .batchSize(batchSize)
                            .learningRate(pretrainLr)
                            .lrSchedule(LrScheduleKind.LINEAR)
                            .warmupSteps(40)
                            .weightDecay(0.01)
                            .maxGradNorm(1.0)
                            .seed(1)
                            .threads(threads)
                            .progressIntervalSeconds(10)
                            .build();
                    r = Trainer.train(
                            TrainRequest.of(p, trainExamples, o2, out.resolve("work-base2")), printer("base2"));
                }
                p.save(base);
                System.out.printf(
                        "pretrain: %d steps, %.1f s, loss %.3f -> %.3f%n",
                        r.steps(), seconds(t), r.losses()[0], r.finalLoss());
                evaluate("base (none)", p, evalExamples, val, evalIds, Compression.none());
            }
        }
        for (String trial : trials) {
            Compression c = parse(trial);
            long t = System.nanoTime();
            try (Florence2Pipeline p = Florence2Pipeline.load(base)) {
                TrainOptions o = TrainOptions.builder()
                        .compression(c)
                        .trainable(Trainable.parse(trainable))
                        .maxSteps(Math.max(1, finetuneSteps))
                        .batchSize(finetuneBatchSize)
                        .learningRate(finetuneLr)
                        .lrSchedule(LrScheduleKind.LINEAR)
                        .warmupSteps(Math.max(1, finetuneSteps / 10))
                        .seed(1)
                        .threads(trialThreads)
                        .progressIntervalSeconds(10)
                        .build();
                TrainResult r = finetuneSteps == 0
                        ? null
                        : Trainer.train(
                                TrainRequest.of(p, trainExamples, o, out.resolve("work-" + trial.replace(':', '_'))),
                                printer(trial));
                double trainSeconds = seconds(t);
                double acc = evaluate(trial, p, evalExamples, val, evalIds, c);
                System.out.printf(
                        "TRIAL %-28s steps %d train %.1f s total %.1f s loss %.3f acc %.2f%n",
                        c, r == null ? 0 : r.steps(), trainSeconds, seconds(t), r == null ? 0 : r.finalLoss(), acc);
            }
        }
        System.out.printf("all: %.1f s, load %s%n", seconds(t0), BenchSupport.loadAverage());
        return 0;
    }

    private double evaluate(
            String name, Florence2Pipeline p, List<Example> examples, VqaData val, long[] ids, Compression c) {
        long t = System.nanoTime();
        Map<Long, String> answers = VqaAnswerer.answer(
                p, examples, EvalOptions.defaults().withNumBeams(numBeams).withBatchSize(32), c, null);
        VqaResults.Builder b = VqaResults.builder();
        answers.forEach(b::add);
        VqaAccuracy acc = VqaEvaluator.evaluate(val.annotations(), b.build(), ids);
        System.out.printf(
                "eval %s: %.2f (%s) %.1f s; by type %s%n",
                name, acc.overall(), acc.perAnswerType(), seconds(t), acc.perQuestionType());
        return acc.overall();
    }

    private static Compression parse(String trial) {
        String[] p = trial.split(":");
        if (p[0].equals("none")) {
            return Compression.none();
        }
        return Compression.of(
                p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), p.length > 3 && p[3].equals("sorted"));
    }

    private static TrainingListener printer(String name) {
        return new TrainingListener() {
            @Override
            public void progress(long step, long totalSteps, double loss, double samplesPerSecond) {
                System.out.printf(
                        "  %s step %d/%d loss %.3f %.1f samples/s%n", name, step, totalSteps, loss, samplesPerSecond);
            }
        };
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
