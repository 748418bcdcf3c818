package ai.vtc.vqa.cli;

import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = "Writes a synthetic VQA set (train2014 + val2014) in the VQAv2 layout.")
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--questions", description = "about this many questions in all, 80%% train / 20%% val")
    Integer questions;

    @Option(names = "--train-images", defaultValue = "400", description = "(default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "100", description = "(default: ${DEFAULT-VALUE})")
    int valImages;

    @Option(names = "--questions-per-image", defaultValue = "5", description = "(default: ${DEFAULT-VALUE})")
    int questionsPerImage;

    @Option(names = "--image-size", defaultValue = "128", description = "pixels (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--families", split = ",", description = "question families, default all: ${COMPLETION-CANDIDATES}")
    List<QuestionFamily> families;

    @Option(
            names = "--max-objects",
            defaultValue = "5",
            description = "shapes per image 1..9 (default: ${DEFAULT-VALUE})")
    int maxObjects;

    @Option(names = "--shapes", defaultValue = "4", description = "shape kinds 2..6 (default: ${DEFAULT-VALUE})")
    int shapes;

    @Option(names = "--colours", defaultValue = "6", description = "shape colours 2..8 (default: ${DEFAULT-VALUE})")
    int colours;

    @Option(
            names = "--noise",
            defaultValue = "1.0",
            description = "annotator variation 0..1 (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(
            names = "--region-splits",
            defaultValue = "0.5",
            description =
                    "with the REGION family, the share of backgrounds split in two halves (default: ${DEFAULT-VALUE})")
    double regionSplits;

    @Option(names = "--format", defaultValue = "png", description = "png or jpg (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--no-images", description = "write only the JSON files")
    boolean noImages;

    @Override
    public Integer call() throws Exception {
        SyntheticVqa.Options o = new SyntheticVqa.Options(
                seed,
                trainImages,
                valImages,
                questionsPerImage,
                imageSize,
                families == null || families.isEmpty() ? EnumSet.allOf(QuestionFamily.class) : EnumSet.copyOf(families),
                maxObjects,
                shapes,
                colours,
                noise,
                regionSplits,
                format,
                !noImages);
        if (questions != null) {
            o = o.withQuestions(questions);
        }
        long start = System.nanoTime();
        SyntheticVqa.Generated g = SyntheticVqa.generate(out, o);
        for (SyntheticVqa.Split s : g.splits().values()) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s: %d images, %d questions: %s, %s%n",
                            s.name(), s.images(), s.questions(), s.questionsFile(), s.annotationsFile());
        }
        spec.commandLine().getOut().printf("done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
