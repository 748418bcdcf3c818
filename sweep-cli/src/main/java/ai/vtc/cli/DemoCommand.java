package ai.vtc.cli;

import ai.vtc.contracts.SweepSpec;
import ai.vtc.contracts.SweepSpecs;
import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticVqa;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sweep demo}: the main job on a running local stack. Makes what the demo sweep names when it is missing (the
 * synthetic VQA dataset and its subset through the dataset service, the pretrained tiny Florence-2 under
 * {@code models/}), submits the sweep, follows it and prints the results with the majority-answer baseline, where the
 * checkpoints are and where to look next. Each step is skipped when its result already exists, so a second run only
 * runs the sweep (and a resubmitted sweep reuses its completed trials).
 */
@Command(
        name = "demo",
        description = {
            "Run the demo sweep on the local stack (start it first: ./sweep up; './sweep demo' does both).",
            "Makes the synthetic dataset and the pretrained tiny Florence-2 when they are missing."
        })
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--file",
            defaultValue = "examples/demo-sweep.yaml",
            description = "sweep (default ${DEFAULT-VALUE})")
    Path file;

    @Option(
            names = "--stack-dir",
            defaultValue = ".stack",
            description = "the stack's data folder (default ${DEFAULT-VALUE})")
    Path stackDir;

    @Option(names = "--repo", defaultValue = ".", description = "repository root with the built jars (default: .)")
    Path repo;

    @Option(
            names = "--timeout",
            defaultValue = "PT40M",
            description = "give up following the sweep after this long (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--interval", defaultValue = "3", description = "seconds between progress updates (default 3)")
    double interval;

    @Option(
            names = "--data-train-images",
            defaultValue = "1000",
            description = "demo dataset train images (default ${DEFAULT-VALUE})")
    int trainImages;

    @Option(
            names = "--data-val-images",
            defaultValue = "250",
            description = "demo dataset val images (default ${DEFAULT-VALUE})")
    int valImages;

    @Option(names = "--questions-per-image", defaultValue = "2", description = "(default ${DEFAULT-VALUE})")
    int questionsPerImage;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description = "demo images in pixels (default ${DEFAULT-VALUE})")
    int imageSize;

    @Option(
            names = "--data-seed",
            defaultValue = "7",
            description = "synthetic dataset seed (default ${DEFAULT-VALUE})")
    long dataSeed;

    @Option(
            names = "--pretrain-images",
            defaultValue = "8000",
            description = "train images of the tiny model's pretraining set (same settings as the demo dataset,"
                    + " seed + 1000; default ${DEFAULT-VALUE})")
    int pretrainImages;

    @Option(
            names = "--families",
            split = ",",
            defaultValue = "REGION",
            description = "question families of the demo dataset (default ${DEFAULT-VALUE}: which colour fills a named"
                    + " half of the background; all: EXISTS, COMPARE, VERIFY, COUNT, COLOR, SHAPE, BACKGROUND, REGION)")
    Set<QuestionFamily> families;

    @Option(
            names = "--region-splits",
            defaultValue = "1.0",
            description = "with the REGION family, the share of backgrounds split in two halves of different colours"
                    + " (default ${DEFAULT-VALUE}: every REGION question names a side, so only where the visual tokens"
                    + " are tells the answer)")
    double regionSplits;

    @Option(
            names = "--max-objects",
            defaultValue = "3",
            description = "shapes per image, 1..9 (default ${DEFAULT-VALUE})")
    int maxObjects;

    @Option(names = "--shapes", defaultValue = "3", description = "shape kinds, 2..6 (default ${DEFAULT-VALUE})")
    int shapes;

    @Option(names = "--colours", defaultValue = "4", description = "shape colours, 2..8 (default ${DEFAULT-VALUE})")
    int colours;

    @Option(
            names = "--annotator-noise",
            defaultValue = "0.3",
            description = "0: ten identical answers .. 1: realistic disagreement (default ${DEFAULT-VALUE})")
    double annotatorNoise;

    @Option(
            names = "--pretrain-phase",
            paramLabel = "'STEPS OPTIONS'",
            description = {
                "a phase of the tiny model's pretraining: steps and 'florence2 train' options; repeat for more phases,"
                        + " each continuing from the previous model. Default (the measured recipe):",
                "  '" + PHASE_1 + "'",
                "  '" + PHASE_2 + "'"
            })
    List<String> pretrainPhases;

    // 300 steps with a one-cycle schedule, then 400 with linear decay: the tiny model starts to use the image after
    // about 500-600 steps of batch 32 (florence2/README.md, learning runs); a single schedule of 700 steps, or a
    // higher learning rate, stayed at the answer prior.
    static final String PHASE_1 = "300 --batch-size 32 --lr 5e-4 --schedule one_cycle --threads 2";
    static final String PHASE_2 = "400 --batch-size 32 --lr 5e-4 --schedule linear --warmup 40 --threads 2";

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        String yaml = Files.readString(file);
        SweepSpec sweep = SweepSpecs.parse(yaml).orThrow();
        SyntheticVqa.Options data;
        try {
            data = SyntheticVqa.Options.defaults()
                    .withSeed(dataSeed)
                    .withImages(trainImages, valImages)
                    .withQuestionsPerImage(questionsPerImage)
                    .withImageSize(imageSize)
                    .withFamilies(families)
                    .withVocabulary(maxObjects, shapes, colours)
                    .withAnnotatorNoise(annotatorNoise)
                    .withRegionSplits(regionSplits);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), optionOf(e.getMessage()) + ": " + e.getMessage());
        }
        DemoStack stack = DemoStack.load(stackDir);
        DemoInputs inputs = new DemoInputs(stack, repo, stackDir.resolve("demo"), out, cli.token);

        out.println("== 1/4 dataset '" + sweep.dataset().name() + "', subset '"
                + sweep.dataset().subset() + "'");
        out.flush();
        inputs.ensureDataset(sweep.dataset().name(), sweep.dataset().subset(), data);
        DemoInputs.Baseline baseline = inputs.majorityBaseline(
                sweep.dataset().name(),
                sweep.dataset().subset(),
                sweep.dataset().evalSplit());

        out.println("== 2/4 model '" + sweep.model() + "'");
        out.flush();
        inputs.ensureModel(
                sweep.model(),
                new DemoInputs.PretrainSettings(
                        pretrainPhases == null ? List.of(PHASE_1, PHASE_2) : pretrainPhases,
                        data.withSeed(dataSeed + 1000).withImages(pretrainImages, valImages)));

        out.println("== 3/4 sweep " + file);
        out.flush();
        SchedulerClient client = cli.client();
        JsonNode submitted = client.postYaml("/sweeps", yaml.getBytes(StandardCharsets.UTF_8));
        String id = submitted.path("id").asText();
        out.printf(
                Locale.ROOT,
                "sweep %s: %d trials (%d new, %d queued again, %d reused from earlier sweeps)%n",
                id,
                submitted.path("trials_total").asInt(),
                submitted.path("new_trials").asInt(),
                submitted.path("requeued_trials").asInt(),
                submitted.path("reused_trials").asInt());
        out.flush();
        JsonNode last = follow(client, id, out);

        out.println("== 4/4 results");
        JsonNode results = awaitEvaluations(client, last, out);
        out.print(ResultsCommand.render(results));
        out.println();
        out.print(Findings.of(results));
        out.printf(
                Locale.ROOT,
                "majority-answer baseline on the same %s questions: %.2f (one answer for all), %.2f (per question type)%n",
                sweep.dataset().evalSplit(),
                baseline.overall(),
                baseline.perQuestionType());
        out.println();
        out.println("sweep " + id + " is " + last.path("status").asText() + " after "
                + formatSeconds((System.nanoTime() - started) / 1e9));
        out.println(
                "checkpoints:      s3://" + stack.bucket() + "/checkpoints/<trial>/step-<n>/ on " + stack.s3Endpoint());
        JsonNode trained = ResultsCommand.bestTrained(results);
        if (trained != null) {
            // a Hugging Face model folder that florence2 generate --model loads (the command prints how)
            String trial = trained.path("trial_id").asText();
            out.println("fetch one:        ./sweep checkpoints " + trial + " --download ./checkpoints");
        }
        out.println("results page:     " + stack.serviceUrl("scheduler") + "/");
        out.println("trial states:     ./sweep status " + id + "     results: ./sweep results " + id);
        out.println("evaluator:        " + stack.serviceUrl("evaluator") + "/sweeps/" + id
                + "/results  (also results.csv, leaderboard, pareto)");
        out.println("metrics:          " + stack.serviceUrl("evaluator") + "/q/metrics"
                + (stack.prometheusUrl() == null ? "" : "   Prometheus: " + stack.prometheusUrl() + "/graph"));
        out.println("Grafana:          docker compose up (http://localhost:3000, dashboard 'VTC sweeps'; see README)");
        out.println("stop everything:  ./sweep down");
        out.flush();
        return "completed".equals(last.path("status").asText()) ? 0 : 1;
    }

    /**
     * The sweep's results once every completed trial has its accuracy: the evaluator scores a trial's predictions after
     * the trial completes, so the last evaluations can arrive a few seconds after the sweep's final state. Gives up
     * after {@link #EVALUATION_WAIT} (the table then says how many are not yet evaluated).
     */
    private JsonNode awaitEvaluations(SchedulerClient client, JsonNode sweep, PrintWriter out)
            throws InterruptedException {
        String id = sweep.path("id").asText();
        int completed = 0;
        for (JsonNode trial : sweep.path("trials")) {
            completed += "completed".equals(trial.path("status").asText()) ? 1 : 0;
        }
        long deadline = System.nanoTime() + EVALUATION_WAIT.toNanos();
        boolean said = false;
        while (true) {
            JsonNode results = client.get("/sweeps/" + id + "/results");
            int pending = completed - results.path("evaluated").asInt();
            if (pending <= 0 || System.nanoTime() > deadline) {
                return results;
            }
            if (!said) {
                out.println("waiting for " + pending + " evaluation(s) ...");
                out.flush();
                said = true;
            }
            Thread.sleep(1000);
        }
    }

    static final Duration EVALUATION_WAIT = Duration.ofMinutes(2);

    /** Progress until the sweep is no longer running: the trial table on a terminal, a line per change otherwise. */
    private JsonNode follow(SchedulerClient client, String id, PrintWriter out) throws InterruptedException {
        boolean terminal = System.console() != null;
        long deadline = System.nanoTime() + timeout.toNanos();
        String previous = "";
        while (true) {
            JsonNode sweep = client.get("/sweeps/" + id);
            if (terminal) {
                out.print(StatusCommand.CLEAR);
                out.print(StatusCommand.render(sweep, 60));
            } else {
                String line = StatusCommand.summary(sweep);
                if (!line.equals(previous)) {
                    out.println(line);
                    previous = line;
                }
            }
            out.flush();
            if (!"running".equals(sweep.path("status").asText())) {
                return sweep;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sweep " + id + " still runs after " + timeout
                        + "; it goes on in the background: ./sweep status " + id + " --watch");
            }
            Thread.sleep((long) (interval * 1000));
        }
    }

    /** The demo option behind a message of the dataset generator, which names its own fields. */
    static String optionOf(String generatorMessage) {
        String field = generatorMessage.split(" ", 2)[0];
        return switch (field) {
            case "image" -> "--data-train-images/--data-val-images";
            case "questionsPerImage" -> "--questions-per-image";
            case "imageSize" -> "--image-size";
            case "maxObjects" -> "--max-objects";
            case "shapes" -> "--shapes";
            case "colours" -> "--colours";
            case "annotatorNoise" -> "--annotator-noise";
            case "regionSplits" -> "--region-splits";
            default -> "demo dataset";
        };
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }
}
