package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "A sweep's state with a progress bar per trial.")
final class StatusCommand implements Callable<Integer> {
    static final String CLEAR = "\033[H\033[2J";

    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the sweep id (s-...)")
    String id;

    @Option(names = "--watch", description = "refresh until the sweep is no longer running")
    boolean watch;

    @Option(
            names = "--interval",
            defaultValue = "2",
            description = "seconds between refreshes (default ${DEFAULT-VALUE})")
    double interval;

    @Option(names = "--limit", defaultValue = "200", description = "trials shown at most (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        while (true) {
            JsonNode sweep = cli.client().get("/sweeps/" + id);
            if (watch && terminal) {
                out.print(CLEAR);
            }
            out.print(render(sweep, limit));
            if (RaceStatus.isRace(sweep)) {
                out.print(RaceStatus.render(cli.client().get("/sweeps/" + id + "/race")));
            }
            out.flush();
            if (!watch || !"running".equals(sweep.path("status").asText())) {
                return 0;
            }
            Thread.sleep((long) (interval * 1000));
            if (!terminal) {
                out.println();
            }
        }
    }

    static String render(JsonNode sweep, int limit) {
        StringBuilder out = new StringBuilder();
        out.append("sweep ")
                .append(sweep.path("id").asText())
                .append(" '")
                .append(sweep.path("name").asText())
                .append("'  ")
                .append(sweep.path("status").asText());
        if (sweep.hasNonNull("status_reason")) {
            out.append(" (").append(sweep.path("status_reason").asText()).append(')');
        }
        out.append("\n").append(counts(sweep.path("counts"))).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        JsonNode trials = sweep.path("trials");
        for (int i = 0; i < Math.min(limit, trials.size()); i++) {
            JsonNode t = trials.get(i);
            String detail = t.path("phase").isNull() || t.path("phase").isMissingNode()
                    ? ""
                    : t.path("phase").asText() + " " + t.path("step").asText() + "/"
                            + t.path("total_steps").asText()
                            + (t.hasNonNull("loss")
                                    ? String.format(" loss %.3f", t.path("loss").asDouble())
                                    : "");
            if (t.hasNonNull("accuracy")) {
                detail = String.format("accuracy %.2f", t.path("accuracy").asDouble());
            }
            rows.add(List.of(
                    t.path("id").asText(),
                    Render.compression(t),
                    t.path("seed").asText(),
                    t.path("status").asText()
                            + (t.path("attempt").asInt() > 1
                                    ? " #" + t.path("attempt").asInt()
                                    : ""),
                    Render.bar(t),
                    detail));
        }
        out.append(Render.table(List.of("TRIAL", "COMPRESSION", "SEED", "STATUS", "PROGRESS", ""), rows));
        if (trials.size() > limit) {
            out.append("... and ").append(trials.size() - limit).append(" more trials (--limit)\n");
        }
        return out.toString();
    }

    /** One line: the counts per state and what each running trial is doing (for logs, where a table would scroll). */
    static String summary(JsonNode sweep) {
        StringBuilder line = new StringBuilder(counts(sweep.path("counts")));
        for (JsonNode t : sweep.path("trials")) {
            if (t.hasNonNull("phase") && "running".equals(t.path("status").asText())) {
                line.append(" | ")
                        .append(Render.compression(t))
                        .append(' ')
                        .append(t.path("phase").asText())
                        .append(' ')
                        .append(t.path("step").asText())
                        .append('/')
                        .append(t.path("total_steps").asText());
            }
        }
        return line.toString();
    }

    private static String counts(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            total += e.getValue().asLong();
            if (e.getValue().asLong() > 0) {
                parts.add(e.getValue().asLong() + " " + e.getKey());
            }
        }
        return total + " trials: " + String.join(", ", parts);
    }
}
