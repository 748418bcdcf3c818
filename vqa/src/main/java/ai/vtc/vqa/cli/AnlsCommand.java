package ai.vtc.vqa.cli;

import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.AnlsScores;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "anls",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the official DocVQA ANLS and the Florence-2 DocVQA fine-tuning project's Levenshtein similarity as"
                    + " JSON, overall and per question (in annotation-file order).",
            "The results must answer every question of the annotations once, and no other."
        })
final class AnlsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--annotations",
            required = true,
            description = "DocVQA annotation file {\"data\": [{questionId, question, image, answers}]}")
    Path annotations;

    @Option(
            names = "--results",
            required = true,
            description = "predictions [{questionId, answer}] (DocVQA submission format) or [{question_id, answer}]")
    Path results;

    @Override
    public Integer call() throws Exception {
        DocVqaFile gt = DocVqaFile.read(annotations);
        VqaResults predictions = VqaResults.read(results);
        AnlsScores scores = AnlsEvaluator.evaluate(
                DocVqaConversion.toVqa(gt, "anls", "scored by vqa anls").annotations(), predictions);
        PrintWriter out = spec.commandLine().getOut();
        out.print(scores.toJson());
        out.flush();
        return 0;
    }
}
