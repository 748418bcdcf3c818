package ai.vtc.cli;

import ai.vtc.contracts.SpecProblem;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.contracts.SweepSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a sweep YAML offline (everything but the model, the dataset subset and the size limit, "
                + "which only the scheduler knows).")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.yaml")
    Path file;

    @Override
    public Integer call() throws Exception {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!parsed.valid()) {
            var err = spec.commandLine().getErr();
            err.println("sweep: " + file + " has " + parsed.problems().size() + " problem(s):");
            for (SpecProblem p : parsed.problems()) {
                err.println("  " + p);
            }
            err.flush();
            return 1;
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "%s is valid: sweep '%s' expands to %d trials%n",
                        file, parsed.spec().name(), SweepExpansion.count(parsed.spec()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
