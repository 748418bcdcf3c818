package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.florence2.cli.Florence2Command;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 create} writes a model folder that {@code florence2 generate} answers with. */
class CreateGenerateCommandTest {

    @Test
    void createAndGenerateCommands(@TempDir Path dir) {
        Path model = dir.resolve("tiny");
        assertEquals(0, Florence2Command.execute("create", "--out", model.toString(), "--seed", "3"));
        String[] lines =
                generate(model, "--num-beams", "2", "--max-new-tokens", "5").split("\n");
        assertEquals(2, lines.length, "one answer per image: " + Arrays.toString(lines));
    }

    @Test
    void generateCompressesWithEveryKindOfMethod(@TempDir Path dir) {
        Path model = dir.resolve("tiny");
        assertEquals(0, Florence2Command.execute("create", "--out", model.toString(), "--seed", "3"));
        for (String compression : new String[] {
            "--compression downsample --image-size 64",
            "--compression random --keep 9 --stage 2 --seed 4",
            "--compression attn_prune --keep 9 --stage 4",
            "--compression pool2d --factor 2"
        }) {
            String[] options = (compression + " --max-new-tokens 3").split(" ");
            long lines = generate(model, options).chars().filter(c -> c == '\n').count();
            assertEquals(2, lines, "one answer (perhaps empty) per image: " + compression);
        }
    }

    /** What {@code generate} prints for two test images and one prompt with {@code options}; it must succeed. */
    private static String generate(Path model, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "generate",
                "--model",
                model.toString(),
                "--image",
                ImageProcessorTest.image("pattern.png").toString(),
                "--image",
                ImageProcessorTest.image("pattern.jpg").toString(),
                "--prompt",
                "<VQA>how many squares are there?"));
        args.addAll(List.of(options));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Florence2Command.execute(args.toArray(String[]::new)), args.toString());
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
