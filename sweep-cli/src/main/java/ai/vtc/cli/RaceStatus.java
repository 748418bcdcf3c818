package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Pareto race under {@code sweep status}: the rung, where the entrants stand, the questions answered against the
 * grid's, and every stop with its evidence (the trial that dominated it and the paired interval of the difference).
 */
final class RaceStatus {
    private RaceStatus() {}

    /** Whether the sweep (as {@code GET /sweeps/{id}} shows it) searches with a race. */
    static boolean isRace(JsonNode sweep) {
        return "pareto_race"
                .equals(sweep.path("spec").path("search").path("strategy").asText());
    }

    static String render(JsonNode race) {
        StringBuilder out = new StringBuilder("\n");
        List<String> fractions = new ArrayList<>();
        race.path("fractions").forEach(f -> fractions.add(f.asText()));
        out.append(String.format(
                "pareto race: rung %d of %d (fractions %s, %.0f%% confidence); %s%n",
                race.path("rung").asInt() + 1,
                fractions.size(),
                String.join(", ", fractions),
                race.path("confidence").asDouble() * 100,
                entrants(race.path("entrants"))));
        long answered = race.path("evaluated_questions").asLong();
        out.append("questions answered: ").append(answered);
        if (race.hasNonNull("grid_questions")) {
            long grid = race.path("grid_questions").asLong();
            out.append(
                    String.format(" (the full grid: %d, %.0f%%)", grid, grid == 0 ? 100.0 : 100.0 * answered / grid));
        }
        out.append('\n');
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode d : race.path("decisions")) {
            if (!"stopped".equals(d.path("outcome").asText())) {
                continue;
            }
            rows.add(List.of(
                    d.path("rung").asText(),
                    d.path("questions").asText(),
                    d.path("trial_id").asText(),
                    d.path("setting").asText() + " (" + d.path("training").asText() + ")",
                    d.path("visual_tokens").asText(),
                    String.format("%.2f", d.path("accuracy").asDouble()),
                    String.format(
                            "dominated by %s %s: %+.2f [%.2f, %.2f]",
                            d.path("dominated_by").asText(),
                            d.path("dominated_by_setting").asText(),
                            d.path("difference").asDouble(),
                            d.path("lower").asDouble(),
                            d.path("upper").asDouble())));
        }
        if (rows.isEmpty()) {
            out.append("no trial stopped yet\n");
        } else {
            out.append(Render.table(
                    List.of("RUNG", "QUESTIONS", "STOPPED", "SETTING", "TOKENS", "ACCURACY", "EVIDENCE"), rows));
        }
        return out.toString();
    }

    private static String entrants(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().asLong() > 0) {
                parts.add(e.getValue().asLong() + " " + e.getKey());
            }
        }
        return String.join(", ", parts);
    }
}
