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
        var out = spec.commandLine().getOut();
        out.print(render(cli.client().get("/sweeps/" + id + "/results")));
        out.flush();
        return 0;
    }

    /** The results table, best accuracy first, with the counts of evaluated and pending trials. */
    static String render(JsonNode results) {
        List<JsonNode> rows = ranked(results);
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
        return String.format(
                        Locale.ROOT,
                        "sweep %s '%s'%n",
                        results.path("sweep_id").asText(),
                        results.path("name").asText())
                + Render.table(List.of("RANK", "ACCURACY", "COMPRESSION", "SEED", "TOKENS", "TRIAL"), table)
                + String.format(
                        Locale.ROOT,
                        "%d evaluated, %d not yet%n",
                        results.path("evaluated").asInt(),
                        results.path("pending").asInt());
    }

    /** The most accurate evaluated trial, or null. */
    static JsonNode best(JsonNode results) {
        List<JsonNode> rows = ranked(results);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<JsonNode> ranked(JsonNode results) {
        List<JsonNode> rows = new ArrayList<>();
        results.path("results").forEach(rows::add);
        rows.sort(Comparator.comparingDouble((JsonNode r) -> r.path("accuracy").asDouble())
                .reversed());
        return rows;
    }
}
