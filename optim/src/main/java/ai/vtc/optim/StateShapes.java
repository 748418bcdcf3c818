package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks optimizer state from a checkpoint against the parameters it is to drive, before any of it is loaded: a
 * resumed run whose moments belong to another model (other names, other shapes) would otherwise fail deep inside
 * an update, or train on with moments that mean nothing. {@link Optimizer#loadState} checks the state against
 * itself; this checks it against the model.
 */
public final class StateShapes {
    /** {@code adamw.exp_avg.<param>}, {@code soap.step.<param>}, {@code soap.gg.<side>.<param>}, ... */
    private static final Pattern KEY = Pattern.compile("(adamw|soap)\\.(step|exp_avg|exp_avg_sq|gg|q)\\.(.+)");

    private static final Pattern SIDE = Pattern.compile("\\d+\\.(.+)");
    private static final int LISTED = 20;

    private StateShapes() {}

    /**
     * Throws an {@link IllegalArgumentException} listing every state entry that names no parameter, and every
     * moment ({@code exp_avg}, {@code exp_avg_sq}) whose shape is not its parameter's.
     */
    public static void requireMatches(Map<String, NDArray> state, Map<String, NDArray> parameters) {
        List<String> problems = new ArrayList<>();
        state.forEach((key, array) -> {
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                return; // schedule and rng entries belong to no parameter
            }
            String kind = m.group(2);
            String name = m.group(3);
            if (kind.equals("gg") || kind.equals("q")) {
                Matcher side = SIDE.matcher(name);
                name = side.matches() ? side.group(1) : name;
            }
            NDArray parameter = parameters.get(name);
            if (parameter == null) {
                problems.add(key + ": the model has no trainable parameter " + name);
            } else if (kind.startsWith("exp_avg") && !array.getShape().equals(parameter.getShape())) {
                problems.add(key + ": " + array.getShape() + " but the parameter is " + parameter.getShape());
            }
        });
        if (!problems.isEmpty()) {
            int more = problems.size() - LISTED;
            throw new IllegalArgumentException("the optimizer state does not fit the model (" + problems.size()
                    + " problems): " + String.join("; ", problems.subList(0, Math.min(LISTED, problems.size())))
                    + (more > 0 ? "; and " + more + " more" : ""));
        }
    }
}
