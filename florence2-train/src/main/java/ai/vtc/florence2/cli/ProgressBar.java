package ai.vtc.florence2.cli;

import java.io.PrintWriter;

/**
 * One status line on stderr, redrawn in place ({@code \r}) on a terminal and written as plain lines otherwise (logs,
 * pipes): {@code train [#######.............] 140/400 loss 1.234 | 61.0 samples/s | ETA 1m25s}.
 */
final class ProgressBar {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final String label;
    private final boolean inPlace;
    private int lastLength;

    ProgressBar(PrintWriter err, String label) {
        this(err, label, System.console() != null);
    }

    ProgressBar(PrintWriter err, String label, boolean inPlace) {
        this.err = err;
        this.label = label;
        this.inPlace = inPlace;
    }

    /** Redraws the line; {@code etaSeconds} NaN or infinite prints {@code ETA ?}. */
    void update(long done, long total, String details, double etaSeconds) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        String line = label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total
                + (details.isEmpty() ? "" : " " + details) + " | ETA " + duration(etaSeconds);
        if (inPlace) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line so that later output starts on a line of its own. */
    void finish() {
        if (inPlace && lastLength > 0) {
            err.println();
            err.flush();
            lastLength = 0;
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02ds", s % 60);
        }
        return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
}
