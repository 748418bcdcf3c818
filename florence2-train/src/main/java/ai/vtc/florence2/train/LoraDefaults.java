package ai.vtc.florence2.train;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.lora.LoraConfig;
import java.util.Arrays;
import java.util.List;

/** A {@link LoraConfig} from loose settings, each missing one the sweep's default ({@link SpecDefaults}). */
public final class LoraDefaults {

    private LoraDefaults() {}

    /** The default target modules as a list: {@value SpecDefaults#LORA_TARGET_MODULES}. */
    public static List<String> targetModules() {
        return Arrays.asList(SpecDefaults.LORA_TARGET_MODULES.split(" "));
    }

    public static LoraConfig of(Integer rank, Double alpha, Double dropout, List<String> targets, Boolean rslora) {
        return new LoraConfig(
                rank == null ? SpecDefaults.LORA_RANK : rank,
                alpha == null ? SpecDefaults.LORA_ALPHA : alpha,
                dropout == null ? SpecDefaults.LORA_DROPOUT : dropout,
                targets == null ? targetModules() : targets,
                rslora == null ? SpecDefaults.LORA_RSLORA : rslora);
    }
}
