package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a sweep YAML; prints the sweep id.")
final class SubmitCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.yaml", description = "the sweep spec (docs/architecture.md, \"Sweep YAML\")")
    Path file;

    @Override
    public Integer call() throws Exception {
        JsonNode sweep = cli.client().postYaml("/sweeps", Files.readAllBytes(file));
        var out = spec.commandLine().getOut();
        out.printf(
                "sweep %s '%s' accepted: %d trials (%d new, %d queued again, %d reused), %s%n",
                sweep.path("id").asText(),
                sweep.path("name").asText(),
                sweep.path("trials_total").asInt(),
                sweep.path("new_trials").asInt(),
                sweep.path("requeued_trials").asInt(),
                sweep.path("reused_trials").asInt(),
                sweep.path("status").asText());
        out.printf("follow it: sweep status %s --watch%n", sweep.path("id").asText());
        out.flush();
        return 0;
    }
}
