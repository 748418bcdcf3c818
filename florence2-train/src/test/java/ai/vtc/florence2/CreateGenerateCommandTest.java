package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.florence2.cli.Florence2Command;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 create} writes a model folder that {@code florence2 generate} answers with. */
class CreateGenerateCommandTest {

    @Test
    void createAndGenerateCommands(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, Florence2Command.execute("create", "--out", model.toString(), "--seed", "3"));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Florence2Command.execute(
                    "generate",
                    "--model",
                    model.toString(),
                    "--image",
                    ImageProcessorTest.image("pattern.png").toString(),
                    "--image",
                    ImageProcessorTest.image("pattern.jpg").toString(),
                    "--prompt",
                    "<VQA>how many squares are there?",
                    "--num-beams",
                    "2",
                    "--max-new-tokens",
                    "5");
            assertEquals(0, code);
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, "one answer per image: " + Arrays.toString(lines));
    }

    @Test
    void generateCompressesWithEveryKindOfMethod(@TempDir Path dir) {
        Path model = dir.resolve("tiny");
        assertEquals(0, Florence2Command.execute("create", "--out", model.toString(), "--seed", "3"));
        for (String[] compression : new String[][] {
            {"--compression", "downsample", "--image-size", "64"},
            {"--compression", "random", "--keep", "9", "--stage", "2", "--seed", "4"},
            {"--compression", "attn_prune", "--keep", "9", "--stage", "4"},
            {"--compression", "pool2d", "--factor", "2"}
        }) {
            String[] args = {
                "generate",
                "--model",
                model.toString(),
                "--image",
                ImageProcessorTest.image("pattern.png").toString(),
                "--image",
                ImageProcessorTest.image("pattern.jpg").toString(),
                "--prompt",
                "<VQA>how many squares are there?",
                "--max-new-tokens",
                "3"
            };
            String[] all = Arrays.copyOf(args, args.length + compression.length);
            System.arraycopy(compression, 0, all, args.length, compression.length);
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                assertEquals(0, Florence2Command.execute(all), Arrays.toString(compression));
            } finally {
                System.setOut(original);
            }
            long lines = captured.toString(StandardCharsets.UTF_8)
                    .chars()
                    .filter(c -> c == '\n')
                    .count();
            assertEquals(2, lines, "one answer (perhaps empty) per image: " + Arrays.toString(compression));
        }
    }
}
