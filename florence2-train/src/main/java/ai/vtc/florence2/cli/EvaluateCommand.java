package ai.vtc.florence2.cli;

import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SpecDefaults;
import ai.vtc.contracts.TrialCost;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.train.EvalOptions;
import ai.vtc.florence2.train.Example;
import ai.vtc.florence2.train.VqaAnswerer;
import ai.vtc.florence2.train.VqaData;
import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.AnlsScores;
import ai.vtc.vqa.MajorityBaseline;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaResults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code florence2 evaluate --model DIR --data DIR [--split val] [--subset NAME] [--compression ...] --out
 * results.json}: answers the questions of a split, writes VQAv2 results {@code [{question_id, answer}]} and, when the
 * split is annotated, prints the official VQAv2 accuracy (and the majority-answer baseline when the folder has train
 * annotations) and what answering cost (visual tokens, analytic GFLOPs, measured prefill and decoder-step latencies).
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Answer the questions of a VQAv2-layout split, write VQAv2 results and print the accuracy.",
            "The defaults are a sweep's (SpecDefaults in the contracts module)."
        })
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "model folder (e.g. <train --out>/model)")
    Path model;

    @Option(names = "--data", required = true, description = "VQAv2-layout folder (questions, annotations, images)")
    Path data;

    @Option(names = "--split", defaultValue = SpecDefaults.EVAL_SPLIT, description = "(default: ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--subset",
            description = "subset manifest <data>/subsets/NAME.json, or a size (10%%, 500); default: the whole split")
    String subset;

    @Mixin
    CompressionOptions compression;

    @Mixin
    RandomSeedOption randomSeed;

    @Option(
            names = "--num-beams",
            defaultValue = "" + SpecDefaults.NUM_BEAMS,
            description = "1: greedy (default: ${DEFAULT-VALUE})")
    int numBeams;

    @Option(
            names = "--max-new-tokens",
            defaultValue = "" + SpecDefaults.MAX_NEW_TOKENS,
            description = "(default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(
            names = "--no-repeat-ngram-size",
            defaultValue = "" + SpecDefaults.NO_REPEAT_NGRAM_SIZE,
            description = "0: off (default: ${DEFAULT-VALUE})")
    int noRepeatNgramSize;

    @Option(
            names = "--batch-size",
            defaultValue = "" + SpecDefaults.EVAL_BATCH_SIZE,
            description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--prompt",
            description = "template with {question} (default: the task's, <VQA>{question} or <DocVQA>{question})")
    String prompt;

    @Option(
            names = "--task",
            defaultValue = "vqa",
            converter = TaskConverter.class,
            description = "vqa (--data in the VQAv2 layout, VQAv2 accuracy) or docvqa (DocVQA's layout, scored with"
                    + " ANLS and the Levenshtein similarity) (default: ${DEFAULT-VALUE})")
    DatasetTask task;

    @Option(names = "--out", required = true, description = "VQAv2 results file to write")
    Path out;

    @Option(
            names = "--metrics",
            description = "also write the accuracy (overall, per type) and the cost (visual tokens, GFLOPs,"
                    + " latencies) as JSON here")
    Path metrics;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        // a DocVQA split is read through a VQAv2-layout staging folder (JSON files and links to the documents)
        Path staging = task == DatasetTask.DOCVQA ? Files.createTempDirectory("florence2-docvqa") : null;
        try {
            return evaluate(staging);
        } finally {
            if (staging != null) {
                try (java.util.stream.Stream<Path> walk = Files.walk(staging)) {
                    for (Path p :
                            walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private Integer evaluate(Path staging) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        VqaInputs.requireModel(model);
        Compression c = randomSeed.resolve(compression);
        EvalOptions options = EvalOptions.defaults()
                .withNumBeams(numBeams)
                .withMaxNewTokens(maxNewTokens)
                .withNoRepeatNgramSize(noRepeatNgramSize)
                .withBatchSize(batchSize)
                .withPromptTemplate(VqaInputs.prompt(prompt, task))
                .withThreads(runtime.threads)
                .withPrecision(runtime.precision());
        VqaData split = VqaInputs.split(data, this.split, task, staging);
        long[] ids = VqaInputs.subset(split, data, subset);
        List<Example> examples = split.examples(ids, false);
        if (metrics != null && split.annotations() == null) {
            throw new IllegalArgumentException(
                    "--metrics: the " + this.split + " split of " + data + " has no annotations to score against");
        }
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "evaluate");
        long started = System.nanoTime();
        VqaAnswerer.Result answered;
        try (Florence2Pipeline pipeline = Florence2Pipeline.load(model, runtime.resolve())) {
            answered = VqaAnswerer.run(
                    pipeline,
                    examples,
                    options,
                    compression.orRecorded(c, pipeline.model().config()),
                    (done, total, perSecond) -> bar.update(
                            done, total, String.format("%.1f questions/s", perSecond), (total - done) / perSecond));
        }
        bar.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        VqaResults.Builder builder = VqaResults.builder();
        answered.answers().forEach(builder::add);
        VqaResults results = builder.build();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        results.write(out);
        stdout.printf("answered %d %s questions in %.1f s (%s): %s%n", results.size(), this.split, seconds, c, out);
        TrialCost cost = answered.cost();
        if (cost != null) {
            stdout.println(describe(cost));
        }
        if (split.annotations() == null) {
            stdout.println("no annotations for the " + this.split + " split: accuracy not computed");
            return 0;
        }
        if (task == DatasetTask.DOCVQA) {
            AnlsScores scores = AnlsEvaluator.evaluate(split.annotations().select(ids), results);
            stdout.printf(
                    "DocVQA ANLS %.4f, Levenshtein similarity (florence2-finetuning) %.4f over %d questions%n",
                    scores.anls(), scores.levenshteinSimilarity(), scores.questionCount());
            if (metrics != null) {
                writeMetrics(scores.anlsPercent(), cost);
            }
            stdout.flush();
            return 0;
        }
        VqaAccuracy accuracy = VqaEvaluator.evaluate(split.annotations(), results, ids);
        stdout.printf("VQAv2 accuracy %.2f %s%n", accuracy.overall(), accuracy.perAnswerType());
        Double baseline = majorityBaseline(split, ids);
        if (baseline != null) {
            stdout.printf("majority-answer baseline (per question type, from train) %.2f%n", baseline);
        }
        if (metrics != null) {
            writeMetrics(accuracy, cost);
        }
        stdout.flush();
        return 0;
    }

    /** The accuracy's JSON (as {@link VqaAccuracy#writeJson} writes it) with the cost added as {@code cost}. */
    private void writeMetrics(VqaAccuracy accuracy, TrialCost cost) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        accuracy.writeJson(json, false);
        ObjectMapper mapper = Json.mapper();
        ObjectNode node = (ObjectNode) mapper.readTree(json.toByteArray());
        if (cost != null) {
            node.set("cost", mapper.valueToTree(cost));
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(metrics.toFile(), node);
    }

    /** The cost in one line, e.g. for a quick comparison of settings on the terminal. */
    static String describe(TrialCost cost) {
        TrialCost.Gflops g = cost.gflops();
        String line = String.format(
                Locale.ROOT,
                "cost: %d visual tokens, %.1f prompt tokens; GFLOPs per sample: prefill %.3f (vision %.3f, encoder"
                        + " %.3f, cross-attention keys and values %.3f), %.4f per generated token",
                cost.visualTokens(),
                cost.textTokens(),
                g.prefill(),
                g.vision(),
                g.encoder(),
                g.crossAttention(),
                g.decoderPerToken());
        TrialCost.Latency l = cost.latency();
        if (l == null) {
            return line;
        }
        return line
                + String.format(
                        Locale.ROOT,
                        "; measured: prefill %.1f ms, decoder step %.2f ms (medians over %d batch%s of %d, %s, %s)",
                        l.prefillMs(),
                        l.decodeStepMs(),
                        l.batches(),
                        l.batches() == 1 ? "" : "es",
                        l.batchSize(),
                        l.device(),
                        l.precision());
    }

    /** The baseline on the same questions when the folder has train annotations, else null. */
    private Double majorityBaseline(VqaData split, long[] ids) {
        Path trainAnnotations = data.resolve("v2_mscoco_train2014_annotations.json");
        if (!Files.isRegularFile(trainAnnotations)) {
            return null;
        }
        try {
            MajorityBaseline baseline = MajorityBaseline.fit(
                    VqaAnnotations.read(trainAnnotations), MajorityBaseline.Scope.PER_QUESTION_TYPE);
            VqaAnnotations target = split.annotations();
            VqaResults.Builder b = VqaResults.builder();
            for (long id : ids) {
                b.add(id, baseline.answer(target.questionType(target.indexOf(id))));
            }
            return VqaEvaluator.evaluate(target, b.build(), ids).overall();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + trainAnnotations, e);
        }
    }
}
