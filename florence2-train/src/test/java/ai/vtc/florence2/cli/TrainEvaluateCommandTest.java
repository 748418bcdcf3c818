package ai.vtc.florence2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.florence2.train.TrainData;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.subset.Selection;
import ai.vtc.vqa.subset.SubsetSize;
import ai.vtc.vqa.subset.Subsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 train} and {@code evaluate} on the tiny model and a tiny synthetic set. */
class TrainEvaluateCommandTest {

    @TempDir
    static Path shared;

    static Path data;
    static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        data = TrainData.data();
        model = TrainData.model(shared.resolve("tiny"), 0);
        Path subsets = Files.createDirectories(data.resolve("subsets"));
        Map<String, VqaQuestions> splits = Map.of(
                "train", VqaQuestions.read(data.resolve("v2_OpenEnded_mscoco_train2014_questions.json")),
                "val", VqaQuestions.read(data.resolve("v2_OpenEnded_mscoco_val2014_questions.json")));
        SubsetManifest half = Subsets.manifest("tiny", "half", 0, Selection.QUESTION, SubsetSize.fraction(0.5), splits);
        half.write(subsets.resolve("half.json"));
    }

    /** Output, errors and exit code of one command. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Florence2Command.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] trainArgs(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--batch-size",
                "4",
                "--lr",
                "1e-3",
                "--out",
                out.toString()));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainsOnASubsetThenEvaluatesWithTheSameCompression(@TempDir Path dir) throws IOException {
        Path work = dir.resolve("run");
        Run train = run(trainArgs(
                work,
                "--subset",
                "half",
                "--compression",
                "learnable_pool",
                "--factor",
                "4",
                "--stage",
                "0",
                "--sorted",
                "--steps",
                "3",
                "--checkpoint-every",
                "2"));
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("training on 12 train questions (subset half)"), train.out());
        assertTrue(train.err().contains("train [####################] 3/3 loss "), train.err());
        assertTrue(train.err().contains("samples/s | ETA 0s"), train.err());
        assertTrue(Files.isRegularFile(work.resolve("model/model.safetensors")));
        assertTrue(Files.isDirectory(work.resolve("checkpoints/step-3")));
        JsonNode summary =
                new ObjectMapper().readTree(work.resolve("train.json").toFile());
        assertEquals(3, summary.get("steps").asInt());
        assertEquals(3, summary.get("losses").size());
        assertEquals(
                "learnable_pool f=4 stage=0 sorted", summary.get("compression").asText());

        Path results = dir.resolve("answers/results.json");
        Path metrics = dir.resolve("metrics.json");
        Run eval = run(
                "evaluate",
                "--model",
                work.resolve("model").toString(),
                "--data",
                data.toString(),
                "--subset",
                "half",
                "--compression",
                "learnable_pool",
                "--factor",
                "4",
                "--stage",
                "0",
                "--sorted",
                "--num-beams",
                "1",
                "--out",
                results.toString(),
                "--metrics",
                metrics.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("VQAv2 accuracy "), eval.out());
        assertTrue(eval.out().contains("majority-answer baseline"), eval.out());
        assertTrue(eval.err().contains("evaluate [####################] 4/4"), eval.err());
        VqaResults written = VqaResults.read(results);
        long[] ids = new long[written.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = written.questionId(i);
        }
        Arrays.sort(ids);
        assertArrayEquals(SubsetManifest.read(data.resolve("subsets/half.json")).questionIds("val"), ids);
        assertTrue(new ObjectMapper().readTree(metrics.toFile()).has("overall"));
    }

    @Test
    void evaluateReportsTheCostOfTheMethodTheModelWasTrainedWith(@TempDir Path dir) throws IOException {
        Path work = dir.resolve("run");
        Run train = run(trainArgs(
                work, "--compression", "random", "--keep", "6", "--stage", "1", "--seed", "3", "--steps", "2"));
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("random keep=6 stage=1 seed=3, 2 steps of 4"), train.out());

        Path metrics = dir.resolve("metrics.json");
        Run eval = run(("evaluate --model " + work.resolve("model") + " --data " + data + " --out "
                        + dir.resolve("results.json") + " --metrics " + metrics
                        + " --compression random --keep 6 --stage 1 --seed 3 --num-beams 1 --batch-size 3")
                .split(" "));
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("cost: 7 visual tokens, "), eval.out());
        assertTrue(eval.out().contains("(medians over 2 batches of 3, cpu(), fp32)"), eval.out());
        JsonNode written = new ObjectMapper().readTree(metrics.toFile());
        assertTrue(written.has("overall"));
        JsonNode cost = written.get("cost");
        assertEquals(7, cost.get("visual_tokens").asInt());
        assertTrue(cost.get("gflops").get("prefill").asDouble() > 0, cost.toString());
        assertEquals(3, cost.get("latency").get("batch_size").asInt());
        assertEquals("fp32", cost.get("latency").get("precision").asText());
    }

    @Test
    void resumedRunEndsWithTheLossesOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
        Path full = dir.resolve("full");
        Run first = run(trainArgs(full, "--steps", "4", "--checkpoint-every", "2"));
        assertEquals(0, first.code(), first.err());
        Path resumed = dir.resolve("resumed");
        Run again = run(trainArgs(
                resumed,
                "--steps",
                "4",
                "--resume",
                full.resolve("checkpoints/step-2").toString()));
        assertEquals(0, again.code(), again.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(
                json.readTree(full.resolve("train.json").toFile()).get("losses"),
                json.readTree(resumed.resolve("train.json").toFile()).get("losses"));

        Run newest = run(trainArgs(full, "--steps", "4", "--resume"));
        assertEquals(0, newest.code(), newest.err()); // from step-4: nothing left to do
        assertTrue(newest.out().contains("trained 4 steps"), newest.out());
    }

    @Test
    void badInputIsReportedInOneLine(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertError(
                "no such folder",
                run(
                        "train",
                        "--model",
                        model.toString(),
                        "--data",
                        dir.resolve("nope").toString(),
                        "--out",
                        "x"));
        assertError("--model", run("evaluate", "--model", dir.toString(), "--data", data.toString(), "--out", "x"));
        assertError("unknown subset \"10pct\": the manifests in", run(trainArgs(out, "--subset", "10pct")));
        assertError("factor is required for avg_pool", run(trainArgs(out, "--compression", "avg_pool")));
        assertError(
                "stage must be in 0..4",
                run(trainArgs(out, "--compression", "avg_pool", "--factor", "2", "--stage", "5")));
        assertError("compression mode must be one of", run(trainArgs(out, "--compression", "max_pool")));
        assertError(
                "trainable pooling needs compression learnable_pool", run(trainArgs(out, "--trainable", "pooling")));
        assertError("no step-<n> checkpoint", run(trainArgs(out, "--resume")));
    }

    private static void assertError(String expected, Run run) {
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
