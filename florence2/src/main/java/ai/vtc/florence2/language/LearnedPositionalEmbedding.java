package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * BART's learned positions ({@code embed_positions}): table [max_position_embeddings + 2, D], position p uses row p + 2
 * (the offset BART inherited from fairseq).
 */
public final class LearnedPositionalEmbedding {

    private static final int OFFSET = 2;

    private final Param weight;
    private final long maxPositions;

    public LearnedPositionalEmbedding(ParameterStore store, String prefix, long maxPositions, long dModel, double std) {
        this.weight = store.declare(prefix + ".weight", new Shape(maxPositions + OFFSET, dModel), Init.normal(std));
        this.maxPositions = maxPositions;
    }

    /** positions [past, past + length) -> [length, D] */
    public NDArray forward(long length, long past) {
        if (past + length > maxPositions) {
            throw new IllegalArgumentException(
                    "sequence of " + (past + length) + " tokens exceeds max_position_embeddings=" + maxPositions);
        }
        return weight.array().get("{}:{}", past + OFFSET, past + OFFSET + length);
    }
}
