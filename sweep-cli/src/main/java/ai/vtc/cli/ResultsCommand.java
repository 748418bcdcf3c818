package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        description = "A sweep's evaluated trials, best VQAv2 accuracy first.")
final class ResultsCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the sweep id (s-...)")
    String id;

    @Override
    public Integer call() {
        JsonNode results = cli.client().get("/sweeps/" + id + "/results");
        List<JsonNode> rows = new ArrayList<>();
        results.path("results").forEach(rows::add);
        rows.sort(Comparator.comparingDouble((JsonNode r) -> r.path("accuracy").asDouble())
                .reversed());
        List<List<String>> table = new ArrayList<>();
        int rank = 1;
        for (JsonNode r : rows) {
            table.add(List.of(
                    Integer.toString(rank++),
                    String.format(Locale.ROOT, "%.2f", r.path("accuracy").asDouble()),
                    Render.compression(r),
                    r.path("seed").asText(),
                    Render.text(r.path("visual_tokens")),
                    r.path("trial_id").asText()));
        }
        var out = spec.commandLine().getOut();
        out.printf(
                "sweep %s '%s'%n",
                results.path("sweep_id").asText(), results.path("name").asText());
        out.print(Render.table(List.of("RANK", "ACCURACY", "COMPRESSION", "SEED", "TOKENS", "TRIAL"), table));
        out.printf(
                "%d evaluated, %d not yet%n",
                results.path("evaluated").asInt(), results.path("pending").asInt());
        out.flush();
        return 0;
    }
}
