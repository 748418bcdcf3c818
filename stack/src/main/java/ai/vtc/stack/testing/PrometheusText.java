package ai.vtc.stack.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading a service's {@code /q/metrics} page (Prometheus text format) in tests. */
public final class PrometheusText {
    private PrometheusText() {}

    /**
     * The sum over all series of the counter {@code meter} (a Micrometer name such as {@code events.retried}, read as
     * {@code events_retried_total}); 0 when it has no series yet.
     */
    public static double counterSum(String metrics, String meter) {
        Matcher m = Pattern.compile("^" + meter.replace('.', '_') + "_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
