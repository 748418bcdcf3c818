package ai.vtc.vqa.cli;

import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Prints the official VQAv2 accuracy (overall, perAnswerType, perQuestionType) as JSON.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--questions", description = "VQAv2 questions file; checked against the annotations")
    Path questions;

    @Option(names = "--annotations", required = true, description = "VQAv2 annotations file")
    Path annotations;

    @Option(names = "--results", required = true, description = "results file [{question_id, answer}]")
    Path results;

    @Option(names = "--per-question", description = "also write evalQA {\"question id\": accuracy} to this file")
    Path perQuestion;

    @Override
    public Integer call() throws Exception {
        // the three files are parsed concurrently; the annotations are by far the largest
        CompletableFuture<VqaResults> res =
                CompletableFuture.supplyAsync(() -> Io.unchecked(() -> VqaResults.read(results)));
        CompletableFuture<VqaQuestions> qs = questions == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> Io.unchecked(() -> VqaQuestions.read(questions)));
        VqaAnnotations gt = VqaAnnotations.read(annotations);
        VqaQuestions q = Io.join(qs);
        VqaResults r = Io.join(res);
        VqaAccuracy accuracy = q == null ? VqaEvaluator.evaluate(gt, r) : VqaEvaluator.evaluate(q, gt, r);
        if (perQuestion != null) {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(perQuestion))) {
                accuracy.writePerQuestionJson(file);
            }
        }
        spec.commandLine().getOut().print(accuracy.toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
