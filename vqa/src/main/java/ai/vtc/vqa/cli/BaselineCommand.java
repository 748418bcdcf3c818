package ai.vtc.vqa.cli;

import ai.vtc.vqa.MajorityBaseline;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "baseline",
        mixinStandardHelpOptions = true,
        description = "Prints the accuracy of always answering the most frequent training answer.")
final class BaselineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train-annotations", required = true, description = "annotations the answers are counted in")
    java.nio.file.Path train;

    @Option(names = "--annotations", required = true, description = "annotations the baseline is evaluated on")
    java.nio.file.Path target;

    @Option(
            names = "--scope",
            defaultValue = "PER_QUESTION_TYPE",
            description = "OVERALL or PER_QUESTION_TYPE (default: ${DEFAULT-VALUE})")
    MajorityBaseline.Scope scope;

    @Override
    public Integer call() throws Exception {
        VqaAccuracy acc = MajorityBaseline.evaluate(VqaAnnotations.read(train), VqaAnnotations.read(target), scope);
        spec.commandLine().getOut().print(acc.toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
