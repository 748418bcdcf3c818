package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's results in plain sentences, per training (training-free, fine-tuned): which settings lose accuracy
 * significantly against their uncompressed reference (the 95% paired bootstrap interval of the difference lies below
 * zero), which gain, which do not differ measurably, and the cheapest setting without a significant loss.
 */
final class Findings {
    private Findings() {}

    static String of(JsonNode results) {
        Map<String, List<JsonNode>> byTraining = new TreeMap<>(Comparator.reverseOrder()); // none, then fine_tune
        for (JsonNode row : results.path("results")) {
            byTraining
                    .computeIfAbsent(row.path("training").asText("fine_tune"), k -> new ArrayList<>())
                    .add(row);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<JsonNode>> group : byTraining.entrySet()) {
            out.append(group(group.getKey(), group.getValue()));
        }
        return out.toString();
    }

    private static String group(String training, List<JsonNode> rows) {
        String who = "none".equals(training)
                ? "Training-free (the pretrained model, compressed at inference)"
                : "Fine-tuned with the compression";
        List<JsonNode> compared = rows.stream()
                .filter(r -> r.path("comparison").isObject())
                .sorted(Comparator.comparingDouble(
                        (JsonNode r) -> r.at("/comparison/difference").asDouble()))
                .toList();
        if (compared.isEmpty()) {
            String reason = rows.stream()
                    .map(r -> r.path("comparison_note").asText(""))
                    .filter(n -> !n.isBlank() && !n.contains("is the reference"))
                    .findFirst()
                    .orElse("no comparison yet");
            return who + ": no paired comparison (" + reason + ").\n";
        }
        List<String> losses = new ArrayList<>();
        List<String> gains = new ArrayList<>();
        List<String> same = new ArrayList<>();
        JsonNode cheapestKept = null;
        for (JsonNode r : compared) {
            JsonNode c = r.path("comparison");
            boolean significant = c.path("significant").asBoolean();
            double difference = c.path("difference").asDouble();
            if (significant && difference < 0) {
                losses.add(describe(r, true));
            } else if (significant) {
                gains.add(describe(r, true));
            } else {
                same.add(describe(r, false));
                if (cheapestKept == null || tokens(r) < tokens(cheapestKept)) {
                    cheapestKept = r;
                }
            }
        }
        StringBuilder out = new StringBuilder(who + ", against the uncompressed model (paired 95% intervals over the "
                + compared.get(0).at("/comparison/questions").asInt() + " questions):\n");
        out.append("  lose accuracy significantly: ").append(list(losses)).append('\n');
        if (!gains.isEmpty()) {
            out.append("  gain significantly: ").append(list(gains)).append('\n');
        }
        out.append("  no significant difference: ").append(list(same)).append('\n');
        if (cheapestKept != null) {
            out.append("  fewest visual tokens without a significant loss: ")
                    .append(Render.compression(cheapestKept))
                    .append(String.format(Locale.ROOT, " (%d visual tokens", tokens(cheapestKept)));
            JsonNode gflops = cheapestKept.at("/cost/gflops/prefill");
            if (!gflops.isMissingNode() && !gflops.isNull()) {
                out.append(String.format(Locale.ROOT, ", %.3f prefill GFLOPs", gflops.asDouble()));
            }
            out.append(")\n");
        }
        return out.toString();
    }

    private static int tokens(JsonNode row) {
        return row.path("visual_tokens").asInt(Integer.MAX_VALUE);
    }

    private static String describe(JsonNode r, boolean withInterval) {
        JsonNode c = r.path("comparison");
        String text = Render.compression(r) + " " + Render.signed(c.path("difference"));
        if (withInterval) {
            text += String.format(
                    Locale.ROOT,
                    " [%+.2f, %+.2f]",
                    c.path("lower").asDouble(),
                    c.path("upper").asDouble());
        }
        return text;
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : String.join("; ", items);
    }
}
