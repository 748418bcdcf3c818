package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Task;
import ai.vtc.florence2.postprocess.ImageSize;
import ai.vtc.florence2.postprocess.TaskResult;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code generate} and {@code postprocess} give a task's result: JSON on a line, and its picture ({@code --draw}). */
final class ResultOutput {

    @Option(
            names = "--draw",
            paramLabel = "PNG",
            description =
                    "write the image with the result's boxes, quad boxes or polygons and their labels (one image)")
    Path draw;

    /** Checks before any work that {@code --draw} can be done for {@code task}. */
    void checkDrawable(Florence2Task task) {
        if (draw != null && !task.answersWithRegions()) {
            throw new UserInputException(task.token() + " answers with text only: --draw needs a task with regions"
                    + " (boxes, quad boxes or polygons), e.g. <OD>, <OCR_WITH_REGION>, <REGION_PROPOSAL>");
        }
    }

    /** Prints the result as JSON and draws it when asked. */
    void report(TaskResult result, BufferedImage image) {
        System.out.println(result.toJson());
        if (draw != null) {
            ResultDrawing.write(image, result, draw);
        }
    }

    static ImageSize sizeOf(BufferedImage image) {
        return new ImageSize(image.getWidth(), image.getHeight());
    }

    static BufferedImage read(Path image) {
        return Florence2ImageProcessor.read(image);
    }
}
