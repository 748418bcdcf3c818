package ai.vtc.contracts;

import java.util.Arrays;
import java.util.List;

/**
 * Whether a trial trains before it is evaluated. A sweep can hold both side by side (the grid's {@code training} axis),
 * so that a compression method applied to the stored model is compared with the same method after fine-tuning.
 */
public enum Training {
    /** Training-free: the stored model is evaluated with the compression applied at inference. */
    NONE("none"),
    /** The trial fine-tunes the model with its compression (the sweep's {@code train} settings), then evaluates. */
    FINE_TUNE("fine_tune");

    private final String id;

    Training(String id) {
        this.id = id;
    }

    /** The name in sweeps and results. */
    public String id() {
        return id;
    }

    /** Every name, for messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Training::id).toList();
    }

    /** The value named {@code id}, or null. */
    public static Training byId(String id) {
        for (Training t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }

    /** The training of a trial spec: training-free when it has no train settings. */
    public static Training of(TrialSpec spec) {
        return spec.train() == null ? NONE : FINE_TUNE;
    }
}
