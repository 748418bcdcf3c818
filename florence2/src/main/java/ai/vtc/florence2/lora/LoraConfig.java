package ai.vtc.florence2.lora;

import java.util.List;

/**
 * A LoRA setting as PEFT's {@code LoraConfig} states it: each targeted linear layer y = W x + b becomes y = W x + b +
 * s B A dropout(x), with A [r, in], B [out, r] and s = alpha / r, or alpha / sqrt(r) with rsLoRA (which keeps the
 * update's scale when the rank grows).
 *
 * @param rank r, at least 1 and at most the smaller side of every targeted layer
 * @param alpha lora_alpha, greater than 0
 * @param dropout lora_dropout, in [0, 1): applied to the adapter's input while training only
 * @param targetModules module names matched against the last component of every linear layer's Hugging Face name
 *     ({@code q_proj} matches {@code language_model.model.encoder.layers.0.self_attn.q_proj}), as PEFT matches a list
 * @param rslora use_rslora: scale by alpha / sqrt(r) instead of alpha / r
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules, boolean rslora) {

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be greater than 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module name");
        }
        targetModules = List.copyOf(targetModules);
    }

    /** The factor of B A x: alpha / r, or alpha / sqrt(r) with rsLoRA. */
    public double scaling() {
        return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** Whether the layer named {@code moduleName} is targeted: its last name component is one of the targets. */
    public boolean targets(String moduleName) {
        return targetModules.contains(moduleName.substring(moduleName.lastIndexOf('.') + 1));
    }
}
