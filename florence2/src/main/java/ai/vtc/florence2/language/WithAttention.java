package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/**
 * The result of an attention block together with the softmax probabilities it was computed from.
 *
 * @param value the block's output, [B, T, D]
 * @param probabilities query x key attention probabilities before dropout, [B, H, T, S]
 */
public record WithAttention(NDArray value, NDArray probabilities) {}
