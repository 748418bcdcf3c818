package ai.vtc.florence2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 postprocess} and {@code florence2 generate --task}: JSON results, pictures, one-line errors. */
class TaskCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAR = "</s><s>car<loc_100><loc_200><loc_600><loc_800></s>";

    @TempDir
    Path dir;

    @Test
    void postprocessPrintsTheProcessorsResult() throws IOException {
        Run run = run("postprocess", "--task", "<OD>", "--text", CAR, "--image-size", "640,480");
        assertEquals(0, run.exitCode, run.err);
        JsonNode od = JSON.readTree(run.out).path("<OD>");
        // (k + 0.5) * size / 1000 in float32, as torch computes it
        assertEquals(
                List.of(64.31999969482422, 96.23999786376953, 384.3199768066406, 384.239990234375),
                doubles(od.path("bboxes").get(0)));
        assertEquals("car", od.path("labels").get(0).asText());
    }

    @Test
    void drawOutlinesTheBoxOnTheImage() throws IOException {
        Path image = whiteImage(200, 100);
        Path png = dir.resolve("drawn.png");
        Run run = run(
                "postprocess", "--task", "<OD>", "--text", CAR, "--image", image.toString(), "--draw", png.toString());
        assertEquals(0, run.exitCode, run.err);
        BufferedImage drawn = ImageIO.read(png.toFile());
        assertEquals(200, drawn.getWidth());
        assertEquals(100, drawn.getHeight());
        // the box is x 20.1 .. 120.1, y 20.05 .. 80.05 on a 200 x 100 image
        int colour = ResultDrawing.PALETTE.get(0).getRGB();
        assertEquals(colour, drawn.getRGB(20, 50), "left edge");
        assertEquals(colour, drawn.getRGB(120, 50), "right edge");
        assertEquals(colour, drawn.getRGB(70, 80), "bottom edge");
        assertEquals(Color.WHITE.getRGB(), drawn.getRGB(70, 50), "inside");
        assertEquals(Color.WHITE.getRGB(), drawn.getRGB(160, 50), "outside");
    }

    @Test
    void generateWithATaskPrintsJsonAndDraws() throws IOException {
        Path model = dir.resolve("tiny");
        assertEquals(0, Florence2Command.execute("create", "--out", model.toString(), "--seed", "3"));
        Path png = dir.resolve("od.png");
        Run run = run(
                "generate",
                "--model",
                model.toString(),
                "--image",
                whiteImage(96, 64).toString(),
                "--task",
                "<OD>",
                "--max-new-tokens",
                "4",
                "--draw",
                png.toString());
        assertEquals(0, run.exitCode, run.err);
        JsonNode od = JSON.readTree(run.out).path("<OD>");
        assertTrue(od.path("bboxes").isArray(), run.out);
        assertEquals(od.path("bboxes").size(), od.path("labels").size());
        assertEquals(96, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void userErrorsAreOneLine() throws IOException {
        String image = whiteImage(32, 32).toString();
        String size = "--image-size";
        assertPostprocessError("unknown task <FOO>", "--task", "<FOO>", "--text", CAR, size, "9,9");
        assertPostprocessError("did you mean <OD>?", "--task", "<od>", "--text", CAR, size, "9,9");
        assertPostprocessError("image size must be at least 1x1", "--task", "<OD>", "--text", CAR, size, "0,480");
        assertPostprocessError("image size must be WIDTH,HEIGHT", "--task", "<OD>", "--text", CAR, size, "640x480");
        String outOfRange = "car<loc_1000><loc_1><loc_2><loc_3>";
        assertPostprocessError("<loc_1000> is out of range", "--task", "<OD>", "--text", outOfRange, size, "9,9");
        String drawing = dir.resolve("x.png").toString();
        assertPostprocessError(
                "answers with text only",
                "--task",
                "<CAPTION>",
                "--text",
                "a car",
                "--image",
                image,
                "--draw",
                drawing);
        String grounding = "<CAPTION_TO_PHRASE_GROUNDING>";
        assertGenerateError(grounding + " needs a text input", image, "--task", grounding);
        assertGenerateError("<OD> takes no text input", image, "--task", "<OD>", "--text-input", "car");
        assertGenerateError("either --prompt TEXT", image, "--task", "<OD>", "--prompt", "<OD>");
        String none = dir.resolve("none.png").toString();
        assertGenerateError("cannot read image", none, "--prompt", "<VQA>what?");
        assertGenerateError("no tokenizer.json in", image, "--prompt", "<VQA>what?");
        assertOneLineError(
                2,
                "Unknown options: '--colour'",
                List.of("generate", "--model", "m", "--image", image, "--colour", "red"));
        assertOneLineError(2, "Missing required option: '--text=<text>'", List.of("postprocess", "--task", "<OD>"));
    }

    private void assertPostprocessError(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("postprocess"));
        args.addAll(List.of(options));
        assertOneLineError(1, message, args);
    }

    /** {@code generate} of a model folder that does not exist: every check before the model loads must hold. */
    private void assertGenerateError(String message, String image, String... options) {
        List<String> args = new ArrayList<>(
                List.of("generate", "--model", dir.resolve("no-model").toString()));
        args.addAll(List.of("--image", image));
        args.addAll(List.of(options));
        assertOneLineError(1, message, args);
    }

    private void assertOneLineError(int exitCode, String message, List<String> args) {
        Run run = run(args.toArray(String[]::new));
        assertEquals(exitCode, run.exitCode, String.join(" ", args) + ": " + run.err);
        String[] lines = run.err.strip().split("\n");
        assertEquals(1, lines.length, "one line: " + run.err);
        assertTrue(lines[0].startsWith("florence2 " + args.get(0) + ": "), lines[0]);
        assertTrue(lines[0].contains(message), lines[0]);
        assertFalse(run.err.contains("Exception"), run.err);
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = Florence2Command.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        } finally {
            System.setOut(original);
        }
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private Path whiteImage(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        Path file = dir.resolve("white-" + width + "x" + height + ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asDouble()));
        return values;
    }
}
