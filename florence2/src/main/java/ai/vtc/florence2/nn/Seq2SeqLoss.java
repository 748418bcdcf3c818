package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Token cross-entropy of a sequence-to-sequence model, as {@code F.cross_entropy(logits.view(-1, V), labels.view(-1),
 * ignore_index=...)}: the mean over the label positions that are not ignored. Letters: B batch, U decoder tokens, V
 * vocabulary.
 */
public final class Seq2SeqLoss {

    private Seq2SeqLoss() {}

    /** logits [B, U, V], labels [B, U] (int64) -> mean negative log-likelihood over every position, a scalar */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return pickedLogProbabilities(logits, labels).mean().neg();
    }

    /**
     * logits [B, U, V], labels [B, U] (int64) -> mean negative log-likelihood over the positions whose label is not
     * {@code ignoreIndex} (padding), a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, long ignoreIndex) {
        NDArray picked = pickedLogProbabilities(logits, labels); // [B, U]
        NDArray weight = labels.neq(ignoreIndex).toType(DataType.FLOAT32, false); // [B, U]
        return picked.mul(weight).sum().neg().div(weight.sum().maximum(1f));
    }

    /** log p(label) per position: [B, U] */
    private static NDArray pickedLogProbabilities(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(-1); // [B, U, V]
        return logProbabilities.gather(labels.expandDims(-1), -1).squeeze(-1);
    }
}
