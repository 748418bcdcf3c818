package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text tables and progress bars for a terminal. */
final class Render {
    static final int BAR = 20;

    private Render() {}

    /** {@code [#########...........]  45%}: done steps of total; a completed trial is full. */
    static String bar(JsonNode trial) {
        String status = trial.path("status").asText();
        double fraction;
        if (status.equals("completed")) {
            fraction = 1;
        } else {
            long total = trial.path("total_steps").asLong();
            fraction = total > 0 ? Math.min(1, trial.path("step").asDouble() / total) : 0;
        }
        int filled = (int) Math.round(fraction * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100));
    }

    /**
     * The compression in one word with every parameter its method takes: {@code none}, {@code avg_pool f=4 s=2 sorted},
     * {@code dominant_merge keep=36 dominant=30 s=2}, {@code downsample size=384}.
     */
    static String compression(JsonNode row) {
        String mode = row.path("mode").asText();
        if (mode.equals("none")) {
            return mode;
        }
        StringBuilder out = new StringBuilder(mode);
        parameter(out, row, "factor", "f");
        parameter(out, row, "keep", "keep");
        parameter(out, row, "dominant", "dominant");
        parameter(out, row, "image_size", "size");
        parameter(out, row, "stage", "s");
        if (row.path("sorted").asBoolean()) {
            out.append(" sorted");
        }
        return out.toString();
    }

    private static void parameter(StringBuilder out, JsonNode row, String field, String label) {
        JsonNode value = row.path(field);
        if (!value.isNull() && !value.isMissingNode()) {
            out.append(' ').append(label).append('=').append(value.asText());
        }
    }

    /** {@code value} with 2 decimals, or {@code -} when absent. */
    static String number(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                ? "-"
                : String.format(Locale.ROOT, "%.2f", value.asDouble());
    }

    /** {@code value} with a sign and 2 decimals. */
    static String signed(JsonNode value) {
        return String.format(Locale.ROOT, "%+.2f", value.asDouble());
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    /** Left-aligned columns sized to their widest cell. */
    /** A size for people: bytes, KB, MB or GB (decimal), one decimal where it matters. */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i + 1 < row.size() ? pad(row.get(i), widths[i]) + "  " : row.get(i));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
