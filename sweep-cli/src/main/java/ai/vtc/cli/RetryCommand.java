package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        description = "Queue the failed trials of a sweep again (only those).")
final class RetryCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the sweep id (s-...)")
    String id;

    @Override
    public Integer call() {
        JsonNode result = cli.client().post("/sweeps/" + id + "/retry");
        spec.commandLine()
                .getOut()
                .printf(
                        "sweep %s %s: %d failed trials queued again%n",
                        id,
                        result.path("status").asText(),
                        result.path("retried").asInt());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
