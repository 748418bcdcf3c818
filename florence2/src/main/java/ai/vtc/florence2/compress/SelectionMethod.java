package ai.vtc.florence2.compress;

/**
 * A method whose budget is the number of grid tokens it leaves ({@code keep}, r), whatever the grid's shape: attn_prune,
 * divprune, dominant_merge, random. The budget must be 1 .. n (n itself, keeping everything, is the identity for a pure
 * selection; the sweep refuses it, the library does not).
 */
public interface SelectionMethod extends GridMethod {

    /** Grid tokens left (r). */
    int keep();

    @Override
    default int keptTokens(int height, int width) {
        return GridSelection.checkKeep(id(), keep(), height * width);
    }
}
