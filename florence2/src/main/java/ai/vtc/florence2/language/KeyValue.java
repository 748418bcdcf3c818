package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/** Attention keys and values, each [B, H, S, d] (batch, heads, source tokens, head width). */
public record KeyValue(NDArray key, NDArray value) {

    public long length() {
        return key.getShape().get(2);
    }
}
