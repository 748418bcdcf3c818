package ai.vtc.optim;

import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * Decides per parameter whether decoupled weight decay applies. The usual transformer practice (Hugging Face's
 * {@code get_parameter_names(model, ALL_LAYERNORM_LAYERS)} plus biases) is {@link #standard()}: biases, normalisation
 * weights and every tensor with at most one dimension are not decayed.
 */
@FunctionalInterface
public interface WeightDecayRule {

    /** True when the parameter with this checkpoint name and shape is decayed. */
    boolean decays(String name, Shape shape);

    /**
     * No decay for a name that ends with {@code .bias} or contains (case-insensitively) {@code layer_norm},
     * {@code layernorm}, {@code norm.} or {@code _norm}, nor for tensors with fewer than two dimensions; everything
     * else is decayed.
     */
    static WeightDecayRule standard() {
        return (name, shape) -> !isBiasOrNorm(name) && shape.dimension() >= 2;
    }

    /** Decays every parameter, as a single torch parameter group does. */
    static WeightDecayRule all() {
        return (name, shape) -> true;
    }

    /** Decays nothing. */
    static WeightDecayRule none() {
        return (name, shape) -> false;
    }

    /** This rule, but never for names containing one of the given fragments (case-insensitive). */
    default WeightDecayRule excludingNamesContaining(String... fragments) {
        return (name, shape) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            for (String fragment : fragments) {
                if (lower.contains(fragment.toLowerCase(Locale.ROOT))) {
                    return false;
                }
            }
            return decays(name, shape);
        };
    }

    /** The name part of {@link #standard()}. */
    static boolean isBiasOrNorm(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".bias")
                || lower.contains("layer_norm")
                || lower.contains("layernorm")
                || lower.contains("norm.")
                || lower.contains("_norm");
    }
}
