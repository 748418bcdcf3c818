package ai.vtc.florence2.io;

import java.util.List;

/** A checkpoint that does not fit the model: every missing, unexpected and mis-shaped key, in one message. */
public final class CheckpointMismatchException extends RuntimeException {

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> misShaped;

    public CheckpointMismatchException(
            String source, List<String> missing, List<String> unexpected, List<String> misShaped) {
        super(message(source, missing, unexpected, misShaped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.misShaped = List.copyOf(misShaped);
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> unexpected() {
        return unexpected;
    }

    /** Entries "name: checkpoint [a, b] vs model [c, d]". */
    public List<String> misShaped() {
        return misShaped;
    }

    private static String message(String source, List<String> missing, List<String> unexpected, List<String> shaped) {
        StringBuilder sb = new StringBuilder("checkpoint ").append(source).append(" does not match the model config:");
        section(sb, "missing keys", missing);
        section(sb, "unexpected keys", unexpected);
        section(sb, "keys with a different shape", shaped);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<String> keys) {
        if (!keys.isEmpty()) {
            sb.append("\n  ").append(keys.size()).append(' ').append(title).append(':');
            keys.forEach(k -> sb.append("\n    ").append(k));
        }
    }
}
