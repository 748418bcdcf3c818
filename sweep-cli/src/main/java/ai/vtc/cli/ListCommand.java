package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "The most recent sweeps with their trials per state.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", defaultValue = "20", description = "how many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode sweep : cli.client().get("/sweeps?limit=" + limit)) {
            JsonNode counts = sweep.path("counts");
            rows.add(List.of(
                    sweep.path("id").asText(),
                    sweep.path("name").asText(),
                    sweep.path("status").asText(),
                    sweep.path("trials").asText(),
                    counts.path("running").asText() + "/"
                            + counts.path("queued").asText() + "/"
                            + counts.path("completed").asText() + "/"
                            + counts.path("failed").asText(),
                    sweep.path("created_at").asText()));
        }
        spec.commandLine()
                .getOut()
                .print(Render.table(
                        List.of("SWEEP", "NAME", "STATUS", "TRIALS", "RUN/QUEUE/DONE/FAIL", "CREATED"), rows));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
