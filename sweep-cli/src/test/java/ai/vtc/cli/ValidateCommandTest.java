package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.SearchSettings;
import ai.vtc.contracts.SweepSpec;
import ai.vtc.contracts.SweepSpecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sweep validate --model-dir} reports the compression problems the scheduler reports, with the same paths: it
 * runs the scheduler's table of invalid compression grids ({@code scheduler/src/test/resources/invalid-sweeps}, cases
 * 50 and up whose problems are all in {@code grid} or {@code train}; the others need the dataset's subsets, which only
 * the scheduler sees) against a model folder like the scheduler tests' {@code tiny-florence2} (3 encoder layers,
 * 128 px: a 4 x 4 grid, position embedding of 8).
 */
class ValidateCommandTest {
    private static final Path CASES = Path.of("../scheduler/src/test/resources/invalid-sweeps");
    private static final String EXPECT = "# expect:";

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SweepCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path modelDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tiny-florence2"));
        Files.writeString(
                dir.resolve("config.json"),
                "{\"text_config\": {\"encoder_layers\": 3},"
                        + " \"vision_config\": {\"image_pos_embed\": {\"max_pos_embeddings\": 8}}}");
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"height\": 128, \"width\": 128}}");
        return dir;
    }

    static Stream<String> compressionCases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && Integer.parseInt(n.substring(0, 2)) >= 50)
                    .filter(n -> expectations(CASES.resolve(n)).stream()
                            .allMatch(e -> e.startsWith("grid") || e.startsWith("train")))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /** The {@code # expect: path | message} lines of a case, as {@code path: message}. */
    private static List<String> expectations(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1) // a case may hold bytes that are not UTF-8
                    .lines()
                    .filter(l -> l.startsWith(EXPECT))
                    .map(l -> l.substring(EXPECT.length()).split("\\|", 2))
                    .map(parts -> parts[0].trim() + ": " + parts[1].trim())
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The cases of hostile or oversized documents (a self-referencing anchor, bytes that are not UTF-8, settings above
     * their upper bounds, the YAML limits): everything in them is told by the document alone, so {@code sweep
     * validate} must report exactly what {@code POST /sweeps} reports for the same file ({@code InvalidSweepsTest}
     * holds the scheduler to the same expectations).
     */
    static Stream<String> documentCases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .filter(n -> {
                        int number = Integer.parseInt(n.substring(0, 2));
                        return (number >= 43 && number <= 48) || number >= 72;
                    })
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentCases")
    void reportsTheSameProblemsAsTheSchedulerForTheSameFile(String name) {
        Path file = CASES.resolve(name);
        List<String> expected = expectations(file);
        Run run = run("validate", file.toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.err().contains("has " + expected.size() + " problem(s)"), run.err());
        for (String problem : expected) {
            assertTrue(run.err().contains(problem), () -> "expected '" + problem + "' in\n" + run.err());
        }
    }

    @Test
    void theCompressionTableIsThere() throws IOException {
        assertTrue(compressionCases().count() >= 16);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressionCases")
    void reportsWhatTheSchedulerReports(String name) throws IOException {
        Path file = CASES.resolve(name);
        List<String> expected = expectations(file);
        Run run = run("validate", file.toString(), "--model-dir", modelDir().toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.err().contains("has " + expected.size() + " problem(s)"), run.err());
        for (String problem : expected) {
            assertTrue(run.err().contains(problem), () -> "expected '" + problem + "' in\n" + run.err());
        }
    }

    @Test
    void aValidGridNamesItsTrialCount() throws IOException {
        Path file = tmp.resolve("ok.yaml");
        Files.writeString(
                file,
                "name: ok\nmodel: m\ndataset: {name: d, subset: s}\n"
                        + "grid:\n"
                        + "  - {mode: [none, pool2d], factor: [2, 4]}\n"
                        + "  - {mode: [attn_prune, divprune], keep: [4, 8], stage: [1, 3]}\n");
        Run run = run("validate", file.toString(), "--model-dir", modelDir().toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("expands to 11 trials"), run.out());
    }

    @Test
    void theLoraExampleIsValid() throws IOException {
        assertExampleExpands("../examples/lora-sweep.yaml", 7);
    }

    @Test
    void theFeatureSharingExamplesAreNineTrainingFreeSettingsAndOne() throws IOException {
        assertExampleExpands("../examples/features-nine-sweep.yaml", 9);
        assertExampleExpands("../examples/features-one-sweep.yaml", 1);
    }

    @Test
    void theRaceExampleIsTheDemoSweepRaced() throws IOException {
        assertExampleExpands("../examples/race-sweep.yaml", 18);
        // the comparison in README.md ("Pareto race on the demo data") holds only while both sweeps ask the same
        SweepSpec demo = SweepSpecs.parse(Files.readString(Path.of("../examples/demo-sweep.yaml")))
                .orThrow();
        SweepSpec race = SweepSpecs.parse(Files.readString(Path.of("../examples/race-sweep.yaml")))
                .orThrow();
        assertEquals(
                List.of(demo.model(), demo.dataset(), demo.grid(), demo.seeds(), demo.train(), demo.eval()),
                List.of(race.model(), race.dataset(), race.grid(), race.seeds(), race.train(), race.eval()));
        assertEquals(SearchSettings.GRID_SEARCH, demo.search());
        assertEquals(SearchSettings.race(List.of(0.1, 0.3, 1.0), 0.95), race.search());
    }

    private void assertExampleExpands(String file, int trials) throws IOException {
        Run run = run("validate", file, "--model-dir", modelDir().toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("expands to " + trials + " trials"), run.out());
    }

    @Test
    void aFolderWithoutConfigIsOneLine() throws IOException {
        Path file = tmp.resolve("ok.yaml");
        Files.writeString(file, "name: ok\nmodel: m\ndataset: {name: d, subset: s}\ngrid: {mode: [none]}\n");
        Run run = run(
                "validate",
                file.toString(),
                "--model-dir",
                tmp.resolve("nothing").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("has no config.json"), run.err());
        assertTrue(!run.err().contains("Exception"), run.err());
    }
}
