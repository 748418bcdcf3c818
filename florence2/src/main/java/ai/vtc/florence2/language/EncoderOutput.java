package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/**
 * Encoder hidden states [B, L, D] and the 0/1 mask [B, L] that goes with them (null: every token is attended to, the
 * reference's behaviour).
 */
public record EncoderOutput(NDArray hidden, NDArray mask) {}
