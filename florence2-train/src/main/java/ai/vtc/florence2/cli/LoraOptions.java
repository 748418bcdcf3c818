package ai.vtc.florence2.cli;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.lora.LoraConfig;
import ai.vtc.florence2.train.LoraDefaults;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code florence2 train}'s LoRA options; any of them turns LoRA on, the others keep the sweep's defaults. */
final class LoraOptions {

    @Option(names = "--lora", description = "train LoRA adapters instead of the model's weights (PEFT's semantics)")
    boolean lora;

    @Option(names = "--lora-rank", description = "r (default: " + SpecDefaults.LORA_RANK + ")")
    Integer rank;

    @Option(names = "--lora-alpha", description = "scale alpha / r (default: " + SpecDefaults.LORA_ALPHA + ")")
    Double alpha;

    @Option(
            names = "--lora-dropout",
            description = "dropout on the adapters' input (default: " + SpecDefaults.LORA_DROPOUT + ")")
    Double dropout;

    @Option(
            names = "--lora-target-modules",
            split = ",",
            paramLabel = "NAME",
            description = "last name components of the linear layers to adapt, comma-separated (default: "
                    + SpecDefaults.LORA_TARGET_MODULES + ")")
    List<String> targetModules;

    @Option(names = "--rslora", description = "scale by alpha / sqrt(r) (rsLoRA)")
    Boolean rslora;

    /** The LoRA setting, or null when no LoRA option was given. */
    LoraConfig resolve() {
        boolean any =
                lora || rank != null || alpha != null || dropout != null || targetModules != null || rslora != null;
        return any ? LoraDefaults.of(rank, alpha, dropout, targetModules, rslora) : null;
    }
}
