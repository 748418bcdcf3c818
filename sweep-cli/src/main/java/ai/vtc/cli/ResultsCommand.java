package ai.vtc.cli;

import ai.vtc.contracts.CostAxis;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.TrialCost;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        description = {
            "A sweep's evaluated trials, best VQAv2 accuracy first, with the accuracy's 95% interval, the paired",
            "difference to the uncompressed reference trial, the spread across seeds and the cost, where known."
        })
final class ResultsCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the sweep id (s-...)")
    String id;

    @Option(
            names = "--pareto",
            description = "only the trials on the Pareto front of accuracy against --cost, cheapest first")
    boolean pareto;

    @Option(
            names = "--cost",
            paramLabel = "AXIS",
            description = "the cost of --pareto: tokens (visual tokens, the default), gflops (prefill GFLOPs per "
                    + "sample) or latency (measured prefill latency per batch)")
    String cost;

    @Override
    public Integer call() {
        if (cost != null && !pareto) {
            throw new UserError("--cost chooses the cost of the Pareto view: give it with --pareto");
        }
        CostAxis axis;
        try {
            axis = CostAxis.byId(cost == null ? CostAxis.TOKENS.id() : cost);
        } catch (IllegalArgumentException e) {
            throw new UserError("--cost: " + e.getMessage());
        }
        JsonNode results = cli.client().get("/sweeps/" + id + "/results");
        var out = spec.commandLine().getOut();
        out.print(pareto ? renderPareto(results, axis) : render(results));
        out.flush();
        return 0;
    }

    /**
     * The results table, best accuracy first, with the counts of evaluated and pending trials. Columns for the
     * interval, the comparison, the training and the cost appear when some trial has them.
     */
    static String render(JsonNode results) {
        List<JsonNode> rows = ranked(results);
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("RANK", null));
        columns.add(new Column("ACCURACY", r -> Render.number(r.path("accuracy"))));
        if (any(rows, r -> present(r.path("accuracy_lower")))) {
            columns.add(new Column("95% CI", r -> interval(r.path("accuracy_lower"), r.path("accuracy_upper"), false)));
        }
        if (any(rows, r -> present(r.path("comparison")))) {
            columns.add(new Column("DELTA VS REF [95% CI]", ResultsCommand::delta));
        }
        columns.add(new Column("COMPRESSION", Render::compression));
        if (any(rows, r -> "none".equals(r.path("training").asText()))) {
            columns.add(new Column("TRAINING", r -> Render.text(r.path("training"))));
        }
        columns.add(new Column("SEED", r -> r.path("seed").asText()));
        columns.add(new Column("TOKENS", r -> Render.text(r.path("visual_tokens"))));
        if (any(rows, r -> present(r.path("cost")))) {
            columns.add(new Column("GFLOPS", r -> Render.number(r.at("/cost/gflops/prefill"))));
            columns.add(new Column("PREFILL MS", r -> Render.number(r.at("/cost/latency/prefill_ms"))));
            columns.add(new Column("DECODE MS", r -> Render.number(r.at("/cost/latency/decode_step_ms"))));
        }
        columns.add(new Column("TRIAL", r -> r.path("trial_id").asText()));
        List<List<String>> table = new ArrayList<>();
        int rank = 1;
        for (JsonNode r : rows) {
            List<String> line = new ArrayList<>();
            line.add(Integer.toString(rank++));
            columns.stream().skip(1).forEach(c -> line.add(c.value().apply(r)));
            table.add(line);
        }
        StringBuilder out = new StringBuilder(title(results));
        out.append(Render.table(columns.stream().map(Column::header).toList(), table));
        out.append(notes(rows));
        out.append(acrossSeeds(rows));
        out.append(String.format(
                Locale.ROOT,
                "%d evaluated, %d not yet%n",
                results.path("evaluated").asInt(),
                results.path("pending").asInt()));
        return out.toString();
    }

    /** The trials on the front of {@code axis}, cheapest first, and how many had no such cost. */
    static String renderPareto(JsonNode results, CostAxis axis) {
        List<JsonNode> rows = ranked(results);
        List<JsonNode> front = new ArrayList<>();
        int unknown = 0;
        for (JsonNode r : rows) {
            JsonNode flag = r.path("on_front").path(axis.id());
            if (flag.isMissingNode() || flag.isNull()) {
                unknown++;
            } else if (flag.asBoolean()) {
                front.add(r);
            }
        }
        front.sort(Comparator.comparingDouble((JsonNode r) -> cost(r, axis))
                .thenComparing(Comparator.comparingDouble(
                                (JsonNode r) -> r.path("accuracy").asDouble())
                        .reversed()));
        List<List<String>> table = new ArrayList<>();
        for (JsonNode r : front) {
            table.add(List.of(
                    costText(r, axis),
                    Render.number(r.path("accuracy")),
                    interval(r.path("accuracy_lower"), r.path("accuracy_upper"), false),
                    Render.compression(r),
                    Render.text(r.path("training")),
                    r.path("seed").asText(),
                    r.path("trial_id").asText()));
        }
        StringBuilder out = new StringBuilder(title(results));
        out.append(String.format(
                Locale.ROOT,
                "Pareto front of accuracy against %s: %d of %d evaluated trials%n",
                axis.description(),
                front.size(),
                rows.size()));
        out.append(Render.table(
                List.of(
                        axis.id().toUpperCase(Locale.ROOT),
                        "ACCURACY",
                        "95% CI",
                        "COMPRESSION",
                        "TRAINING",
                        "SEED",
                        "TRIAL"),
                table));
        if (unknown > 0) {
            out.append(String.format(
                    Locale.ROOT, "%d trial(s) without a known %s are left out%n", unknown, axis.description()));
        }
        return out.toString();
    }

    /** The most accurate evaluated trial, or null. */
    /** The most accurate trial that was fine-tuned (training-free trials store no checkpoint), or null. */
    static JsonNode bestTrained(JsonNode results) {
        return ranked(results).stream()
                .filter(r -> !"none".equals(r.path("training").asText()))
                .findFirst()
                .orElse(null);
    }

    private record Column(String header, Function<JsonNode, String> value) {}

    private static String title(JsonNode results) {
        return String.format(
                Locale.ROOT,
                "sweep %s '%s'%n",
                results.path("sweep_id").asText(),
                results.path("name").asText());
    }

    private static String delta(JsonNode r) {
        JsonNode c = r.path("comparison");
        if (!present(c)) {
            return "-";
        }
        return Render.signed(c.path("difference")) + " " + interval(c.path("lower"), c.path("upper"), true)
                + (c.path("significant").asBoolean() ? " *" : "");
    }

    private static String interval(JsonNode lower, JsonNode upper, boolean signed) {
        if (!present(lower) || !present(upper)) {
            return "-";
        }
        return "[" + (signed ? Render.signed(lower) : Render.number(lower)) + ", "
                + (signed ? Render.signed(upper) : Render.number(upper)) + "]";
    }

    /** What the comparison column means, and why trials lack one (the reference itself is not counted). */
    private static String notes(List<JsonNode> rows) {
        StringBuilder out = new StringBuilder();
        if (any(rows, r -> present(r.path("comparison")))) {
            out.append("DELTA VS REF: accuracy minus the uncompressed trial of the same training and seed, over the "
                    + "questions both answered; * the 95% interval excludes 0\n");
        }
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            String note = r.path("comparison_note").asText(null);
            if (!present(r.path("comparison")) && note != null && !note.equals(ReferenceComparison.IS_REFERENCE)) {
                reasons.merge(note, 1, Integer::sum);
            }
        }
        reasons.forEach(
                (note, n) -> out.append(String.format(Locale.ROOT, "no comparison for %d trial(s): %s%n", n, note)));
        return out.toString();
    }

    /** One line per setting (training and compression) evaluated with several seeds. */
    private static String acrossSeeds(List<JsonNode> rows) {
        Map<String, JsonNode> settings = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            if (r.path("seeds").asInt() > 1) {
                settings.putIfAbsent(r.path("training").asText() + "|" + Render.compression(r), r);
            }
        }
        if (settings.isEmpty()) {
            return "";
        }
        List<List<String>> table = new ArrayList<>();
        for (JsonNode r : settings.values()) {
            table.add(List.of(
                    Render.compression(r),
                    Render.text(r.path("training")),
                    r.path("seeds").asText(),
                    Render.number(r.path("seed_mean")),
                    Render.number(r.path("seed_sd"))));
        }
        return "across seeds:\n" + Render.table(List.of("COMPRESSION", "TRAINING", "SEEDS", "MEAN", "SD"), table);
    }

    /** The row's cost on {@code axis} (a front's rows have it). */
    private static double cost(JsonNode r, CostAxis axis) {
        JsonNode tokens = r.path("visual_tokens");
        TrialCost trialCost =
                present(r.path("cost")) ? Json.mapper().convertValue(r.path("cost"), TrialCost.class) : null;
        Double value = axis.of(present(tokens) ? tokens.asInt() : null, trialCost);
        return value == null ? Double.NaN : value;
    }

    private static String costText(JsonNode r, CostAxis axis) {
        return axis == CostAxis.TOKENS
                ? r.path("visual_tokens").asText()
                : String.format(Locale.ROOT, "%.2f", cost(r, axis));
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static boolean any(List<JsonNode> rows, java.util.function.Predicate<JsonNode> test) {
        return rows.stream().anyMatch(test);
    }

    private static List<JsonNode> ranked(JsonNode results) {
        List<JsonNode> rows = new ArrayList<>();
        results.path("results").forEach(rows::add);
        rows.sort(Comparator.comparingDouble((JsonNode r) -> r.path("accuracy").asDouble())
                .reversed());
        return rows;
    }
}
