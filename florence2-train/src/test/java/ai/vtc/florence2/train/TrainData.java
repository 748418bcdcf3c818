package ai.vtc.florence2.train;

import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/** A small synthetic VQA set (64 px) and tiny demo models for the training tests, made once per test JVM. */
public final class TrainData {

    static final int IMAGE_SIZE = 64;
    private static Path data;

    private TrainData() {}

    /** 12 train and 4 val images, 2 questions each (colour, shape, count and background questions). */
    public static synchronized Path data() {
        if (data == null) {
            data = generate(4);
        }
        return data;
    }

    /** The same 12 train images and questions with {@code valImages} val images (2 questions each). */
    static Path generate(int valImages) {
        try {
            Path dir = Files.createTempDirectory("florence2-train-data");
            SyntheticVqa.Options options = SyntheticVqa.Options.defaults()
                    .withSeed(3)
                    .withImages(12, valImages)
                    .withQuestionsPerImage(2)
                    .withImageSize(IMAGE_SIZE)
                    .withFamilies(EnumSet.of(
                            QuestionFamily.COLOR,
                            QuestionFamily.SHAPE,
                            QuestionFamily.COUNT,
                            QuestionFamily.BACKGROUND))
                    .withAnnotatorNoise(0);
            // Java2D drawing on a thread that later runs libtorch slows that thread's tensor code down many times
            // over (measured 15x), so the images are drawn on a thread of their own.
            Thread t = new Thread(() -> {
                try {
                    SyntheticVqa.generate(dir, options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.start();
            t.join();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Example> train() {
        VqaData split = VqaData.load(data(), "train");
        return split.examples(split.subset(data(), "all"), true);
    }

    static List<Example> val() {
        VqaData split = VqaData.load(data(), "val");
        return split.examples(split.subset(data(), "all"), false);
    }

    /** A randomly initialised tiny demo model folder at 64 px. */
    public static Path model(Path dir, long seed) {
        try (Florence2Pipeline p = pipeline(seed)) {
            p.save(dir);
        }
        return dir;
    }

    static Florence2Pipeline pipeline(long seed) {
        return Florence2Pipeline.create(
                ai.vtc.florence2.Florence2Config.tinyDemo(),
                seed,
                ai.vtc.florence2.Florence2Tokenizer.tinyDemo(),
                ai.vtc.florence2.Florence2ImageProcessor.ofSize(IMAGE_SIZE));
    }
}
