package ai.vtc.vqa.cli;

import ai.vtc.vqa.synth.DocumentKind;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "synth-docvqa",
        mixinStandardHelpOptions = true,
        description = "Writes a synthetic DocVQA set (train + val) in DocVQA's layout: rendered forms, receipts and"
                + " tables with questions whose answers are printed on them.")
final class SynthDocVqaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--questions", description = "about this many questions in all, 80%% train / 20%% val")
    Integer questions;

    @Option(names = "--train-documents", defaultValue = "400", description = "(default: ${DEFAULT-VALUE})")
    int trainDocuments;

    @Option(names = "--val-documents", defaultValue = "100", description = "(default: ${DEFAULT-VALUE})")
    int valDocuments;

    @Option(names = "--questions-per-document", defaultValue = "4", description = "1..8 (default: ${DEFAULT-VALUE})")
    int questionsPerDocument;

    @Option(names = "--image-size", defaultValue = "320", description = "pixels (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--kinds", split = ",", description = "document kinds, default all: ${COMPLETION-CANDIDATES}")
    List<DocumentKind> kinds;

    @Option(names = "--format", defaultValue = "png", description = "png or jpg (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--no-images", description = "write only the JSON files")
    boolean noImages;

    @Override
    public Integer call() throws Exception {
        SyntheticDocVqa.Options o = new SyntheticDocVqa.Options(
                seed,
                trainDocuments,
                valDocuments,
                questionsPerDocument,
                imageSize,
                kinds == null || kinds.isEmpty() ? EnumSet.allOf(DocumentKind.class) : EnumSet.copyOf(kinds),
                format,
                !noImages);
        if (questions != null) {
            o = o.withQuestions(questions);
        }
        long start = System.nanoTime();
        SyntheticDocVqa.Generated g = SyntheticDocVqa.generate(out, o);
        for (SyntheticDocVqa.Split s : g.splits().values()) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s: %d documents, %d questions: %s%n",
                            s.name(), s.documents(), s.questions(), s.annotationsFile());
        }
        spec.commandLine().getOut().printf("done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
