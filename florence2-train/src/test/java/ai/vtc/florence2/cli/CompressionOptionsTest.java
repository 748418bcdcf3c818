package ai.vtc.florence2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.Fixtures;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.io.SafeTensorsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The compression options of {@code forward}, {@code generate}, {@code evaluate} and {@code train}: every method with
 * its parameters, the stage's default, options that do not apply or are missing refused in one line naming the option,
 * and {@code forward} with a method reproducing the compression-method fixtures of Microsoft's code.
 */
class CompressionOptionsTest {

    /** The options as {@code evaluate}, {@code generate} and {@code forward} declare them. */
    @Command
    static final class RunCommand {
        @Mixin
        CompressionOptions compression;

        @Mixin
        RandomSeedOption randomSeed;

        Compression resolve() {
            return randomSeed.resolve(compression);
        }
    }

    /** The options as {@code train} declares them: its own --seed is the trial seed. */
    @Command
    static final class TrainLike {
        @Mixin
        CompressionOptions compression;

        @Option(names = "--seed", defaultValue = "0")
        long seed;
    }

    private static Compression run(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command.resolve();
    }

    @Test
    void everyMethodAndItsParameters() {
        assertEquals(Compression.attnPrune(36, 2), run("--compression", "attn_prune", "--keep", "36", "--stage", "2"));
        assertEquals(
                Compression.avgPool(4, 0, true),
                run("--compression", "avg_pool", "--factor", "4", "--stage", "0", "--sorted"));
        assertEquals(Compression.downsample(384), run("--compression", "downsample", "--image-size", "384"));
        assertEquals(Compression.random(36, 0, 3), run("--compression", "random", "--keep", "36", "--seed", "3"));
        assertEquals(Compression.random(36, 1, 0), run("--compression", "random", "--keep", "36", "--stage", "1"));
        assertEquals(Compression.pool2d(3, 2), run("--compression", "pool2d", "--factor", "3", "--stage", "2"));
        assertEquals(Compression.divPrune(64, 0), run("--compression", "divprune", "--keep", "64"));
        assertEquals(
                Compression.dominantMerge(64, 54, 2),
                run("--compression", "dominant_merge", "--keep", "64", "--stage", "2"));
        assertEquals(
                Compression.dominantMerge(64, 40, 2),
                run("--compression", "dominant_merge", "--keep", "64", "--dominant", "40", "--stage", "2"));
        assertEquals(Compression.none(), run());

        TrainLike train = new TrainLike();
        new CommandLine(train).parseArgs("--compression", "random", "--keep", "9", "--seed", "7");
        assertEquals(Compression.random(9, 0, 7), train.compression.resolve(train.seed), "train's --seed");
    }

    @Test
    void optionsThatDoNotApplyOrAreMissingAreNamed() {
        refused(
                "--keep does not apply to --compression avg_pool (it takes --factor, --stage, --sorted)",
                "--compression",
                "avg_pool",
                "--factor",
                "4",
                "--keep",
                "36");
        refused(
                "--factor, --sorted do not apply to --compression attn_prune (it takes --stage, --keep)",
                "--compression",
                "attn_prune",
                "--keep",
                "36",
                "--stage",
                "2",
                "--factor",
                "4",
                "--sorted");
        refused(
                "--stage does not apply to --compression downsample (it takes --image-size)",
                "--compression",
                "downsample",
                "--image-size",
                "384",
                "--stage",
                "2");
        refused(
                "--dominant does not apply to --compression divprune",
                "--compression",
                "divprune",
                "--keep",
                "4",
                "--dominant",
                "2");
        refused("--image-size does not apply to --compression none (it takes none)", "--image-size", "384");
        refused("keep is required for attn_prune: give --keep", "--compression", "attn_prune", "--stage", "2");
        refused("image_size is required for downsample: give --image-size", "--compression", "downsample");
        refused("factor is required for pool2d: give --factor", "--compression", "pool2d");
        refused(
                "--seed applies only to --compression random",
                "--compression",
                "divprune",
                "--keep",
                "4",
                "--seed",
                "3");
        refused("attn_prune needs stage >= 1", "--compression", "attn_prune", "--keep", "4");
        refused("image_size must be a positive multiple of 32", "--compression", "downsample", "--image-size", "100");
    }

    @Test
    void commandsReportABadCompressionInOneLine(@TempDir Path dir) {
        Path model = Fixtures.folder("tiny-a");
        for (String command : new String[] {"forward", "generate", "evaluate", "train"}) {
            String[] args = switch (command) {
                case "forward" ->
                    new String[] {"forward", "--model", model.toString(), "--inputs", "x", "--output", "y"};
                case "generate" ->
                    new String[] {"generate", "--model", model.toString(), "--image", "x.png", "--prompt", "p"};
                case "evaluate" ->
                    new String[] {"evaluate", "--model", model.toString(), "--data", dir.toString(), "--out", "y"};
                default -> new String[] {"train", "--model", model.toString(), "--data", dir.toString(), "--out", "y"};
            };
            String[] withCompression = concat(args, "--compression", "avg_pool", "--factor", "4", "--keep", "36");
            StringWriter err = new StringWriter();
            int code = Florence2Command.execute(
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), withCompression);
            assertEquals(1, code, command + ": " + err);
            assertEquals(
                    "florence2 " + command + ": --keep does not apply to --compression avg_pool (it takes --factor,"
                            + " --stage, --sorted)",
                    err.toString().strip(),
                    command);
        }
    }

    @Test
    void forwardWithAMethodReproducesItsFixture(@TempDir Path dir) {
        check(dir, "a3-attn_prune-r5-K1", "--compression", "attn_prune", "--keep", "5", "--stage", "1");
        check(
                dir,
                "a7-dominant_merge-r7-d5-K1",
                "--compression",
                "dominant_merge",
                "--keep",
                "7",
                "--dominant",
                "5",
                "--stage",
                "1");
        check(dir, "a2-pool2d-k3-K3", "--compression", "pool2d", "--factor", "3", "--stage", "3");
        check(dir, "a8-downsample-s96", "--compression", "downsample", "--image-size", "96");

        StringWriter err = new StringWriter();
        int code = Florence2Command.execute(
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "forward",
                "--model",
                Fixtures.folder("tiny-a").toString(),
                "--inputs",
                methodCase("a3-attn_prune-r5-K1")
                        .resolve("expected.safetensors")
                        .toString(),
                "--output",
                dir.resolve("x.safetensors").toString(),
                "--compression",
                "downsample",
                "--image-size",
                "96");
        assertEquals(1, code);
        assertTrue(
                err.toString().contains("forward runs pixel_values as given, and they are 128 x 128"), err.toString());
    }

    /** {@code forward} on the case's inputs with {@code options}: its encoder output and logits within 1e-4. */
    private static void check(Path dir, String name, String... options) {
        Path inputs = methodCase(name).resolve("expected.safetensors");
        Path out = dir.resolve(name + ".safetensors");
        String[] args = concat(
                new String[] {
                    "forward",
                    "--model",
                    Fixtures.folder("tiny-a").toString(),
                    "--inputs",
                    inputs.toString(),
                    "--output",
                    out.toString()
                },
                options);
        assertEquals(0, Florence2Command.execute(args), name);
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
                SafeTensorsFile want = SafeTensorsFile.open(inputs)) {
            for (String tensor : new String[] {"encoder_last_hidden_state", "logits"}) {
                assertNull(
                        Fixtures.allClose(got.readFloats(tensor), want.readFloats(tensor), 1e-4, 0),
                        name + " " + tensor);
            }
        }
    }

    private static Path methodCase(String name) {
        try {
            return Path.of(Objects.requireNonNull(
                                    CompressionOptionsTest.class.getResource(
                                            "/fixtures/florence2-compression-methods/" + name + "/case.json"),
                                    name)
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refused(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(args), expected);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
