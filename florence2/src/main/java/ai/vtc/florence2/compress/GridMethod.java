package ai.vtc.florence2.compress;

/**
 * One way of shortening the h*w grid block of the language encoder's input (docs/architecture.md, "Methods"): 2D
 * pooling, selection by attention, by diversity or at random, and dominant tokens plus merged context. A method is a
 * pure function of what it is given ({@link GridInputs}); {@link GridCompressionHook} applies it at an encoder stage.
 */
public interface GridMethod {

    /** The method's name in sweeps and on the command line, e.g. {@code attn_prune}. */
    String id();

    /**
     * Whether the method reads the attention probabilities of the encoder layer before its stage (so it needs stage
     * >= 1).
     */
    default boolean needsAttention() {
        return false;
    }

    /**
     * Grid tokens left from an h x w grid.
     *
     * @throws InvalidCompressionException when the grid cannot take the method's budget
     */
    int keptTokens(int height, int width);

    /** grid [B, n, D] (with what else the method reads) -> the compressed grid [B, r, D] and what was kept */
    GridCompression compress(GridInputs inputs);
}
