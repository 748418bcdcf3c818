package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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

    /** The name in sweeps, results and messages. */
    @JsonValue
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

    /**
     * The value a message names.
     *
     * @throws IllegalArgumentException for a name that is not one of {@link #ids()}
     */
    @JsonCreator
    public static Training fromId(String id) {
        Training t = byId(id);
        if (t == null) {
            throw new IllegalArgumentException("training must be one of " + ids() + ", not '" + id + "'");
        }
        return t;
    }

    /** The training of a trial spec: training-free when it has no train settings. */
    public static Training of(TrialSpec spec) {
        return spec.train() == null ? NONE : FINE_TUNE;
    }
}
