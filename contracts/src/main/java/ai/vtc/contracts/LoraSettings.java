package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.List;

/**
 * LoRA fine-tuning of a trial ({@code train.lora} of a sweep): PEFT's LoRA on every linear layer whose last name
 * component is a target, in the vision tower and the language model; only the adapters (and a learnable_pool weight)
 * train. Defaults in {@link SpecDefaults} (rank 4, alpha 4, dropout 0.25, the LoRA trainer's target modules).
 *
 * @param rank r, at least 1 and at most the smaller side of every targeted layer
 * @param alpha the update is scaled by alpha / r (alpha / sqrt(r) with rsLoRA)
 * @param dropout dropout on the adapters' input while training, in [0, 1)
 * @param targetModules last name components of the linear layers to adapt ({@link #LINEAR_MODULES})
 * @param rslora scale by alpha / sqrt(r)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoraSettings(Integer rank, Double alpha, Double dropout, List<String> targetModules, Boolean rslora) {

    /**
     * The last name components of Florence-2's linear layers (Hugging Face module names): DaViT's {@code qkv}, {@code
     * proj}, {@code fc1}, {@code fc2}, BART's {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}, {@code
     * fc1}, {@code fc2}. A target outside this list matches nothing.
     */
    public static final List<String> LINEAR_MODULES =
            List.of("qkv", "proj", "fc1", "fc2", "q_proj", "k_proj", "v_proj", "out_proj");

    /** Every setting given, each missing one the default. */
    public LoraSettings withDefaults() {
        return new LoraSettings(
                rank != null ? rank : SpecDefaults.LORA_RANK,
                alpha != null ? alpha : SpecDefaults.LORA_ALPHA,
                dropout != null ? dropout : SpecDefaults.LORA_DROPOUT,
                targetModules != null ? targetModules : Arrays.asList(SpecDefaults.LORA_TARGET_MODULES.split(" ")),
                rslora != null ? rslora : SpecDefaults.LORA_RSLORA);
    }
}
