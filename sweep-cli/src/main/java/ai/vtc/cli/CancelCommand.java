package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a sweep: queued trials never start, running ones stop at their next step.")
final class CancelCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the sweep id (s-...)")
    String id;

    @Override
    public Integer call() {
        JsonNode result = cli.client().post("/sweeps/" + id + "/cancel");
        spec.commandLine()
                .getOut()
                .printf(
                        "sweep %s %s: %d queued trials cancelled, %d running told to stop, %d kept for other sweeps%n",
                        id,
                        result.path("status").asText(),
                        result.path("cancelled").asInt(),
                        result.path("cancelling").asInt(),
                        result.path("kept").asInt());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
