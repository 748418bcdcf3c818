package ai.vtc.florence2.train;

import java.util.Locale;

/** The optimizer of a training run. */
public enum OptimizerKind {
    /** AdamW as torch.optim.AdamW, no decay for biases, norms and 1-D tensors. */
    ADAMW,
    /** SOAP (Vyas et al. 2024), the original project's optimizer. */
    SOAP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptimizerKind parse(String text) {
        for (OptimizerKind k : values()) {
            if (k.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("optimizer must be adamw or soap, got \"" + text + "\"");
    }
}
