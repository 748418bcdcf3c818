package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2Task;
import ai.vtc.florence2.postprocess.Florence2PostProcessor;
import ai.vtc.florence2.postprocess.ImageSize;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code florence2 postprocess --task TASK --text TEXT (--image-size W,H | --image FILE) [--draw out.png]}: prints
 * the JSON of Florence-2's {@code post_process_generation} alone, without a model, so that its results can be checked
 * against the original processor from outside (the golden fixtures were made that way).
 */
@Command(
        name = "postprocess",
        mixinStandardHelpOptions = true,
        description = "Post-process a generated text as Florence-2's processor does; print the result as JSON.")
final class PostprocessCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, description = "task token, e.g. <OD>, <OCR_WITH_REGION>, <CAPTION>")
    String task;

    @Option(
            names = "--text",
            required = true,
            description = "the generated text with its special tokens, e.g. \"</s><s>car<loc_52><loc_333><loc_932>"
                    + "<loc_774></s>\"")
    String text;

    @Option(
            names = "--image-size",
            paramLabel = "W,H",
            description = "width and height of the image in pixels, e.g. 640,480 (or give --image)")
    String imageSize;

    @Option(names = "--image", description = "the image: its size, and the picture --draw draws on")
    Path image;

    @Mixin
    ResultOutput output;

    @Override
    public Integer call() {
        Florence2Task t = Florence2Task.of(task);
        output.checkDrawable(t);
        if ((imageSize == null) == (image == null)) {
            throw new UserInputException(
                    "give the image's size as --image-size WIDTH,HEIGHT or the image itself as --image FILE (one)");
        }
        if (output.draw != null && image == null) {
            throw new UserInputException("--draw needs the picture to draw on: give --image FILE");
        }
        BufferedImage picture = image == null ? null : ResultOutput.read(image);
        ImageSize size = picture == null ? ImageSize.parse(imageSize) : ResultOutput.sizeOf(picture);
        output.report(Florence2PostProcessor.process(t, text, size), picture);
        return 0;
    }
}
