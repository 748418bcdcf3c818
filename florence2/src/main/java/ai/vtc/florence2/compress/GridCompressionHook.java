package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.EncoderPass;
import ai.vtc.florence2.language.EncoderStageHook;

/**
 * A {@link GridMethod} as an {@link EncoderStageHook}: right before encoder layer {@code stage} (stage = number of
 * layers: on the encoder output, so the decoder, cached or not, cross-attends to the compressed sequence) the grid
 * block of [global ; grid ; text] is replaced by the method's output and the mask, if any, follows. A method that reads
 * attention asks the encoder for the probabilities of layer stage - 1 ({@link #attentionLayer()}), computed in that
 * layer's own forward pass; no other method costs an attention capture.
 *
 * <p>Bind it per pass: {@link #bind(EncoderPass)} gives the grid size (the image-token count), the tokenizer's text
 * mask (which text positions are queries for attention scores) and the samples' keys (for {@code random}). A model that
 * only calls {@link #bind(int)} gets them through {@link EncoderStageHook#withBatch}. Letters: B batch, n = h*w grid
 * tokens, r kept, D model width, H heads, S sequence tokens.
 */
public final class GridCompressionHook implements EncoderStageHook {

    private final GridMethod method;
    private final int stage;
    private final EncoderPass pass;

    /**
     * @param method the grid method
     * @param stage the encoder stage it runs at (0 .. number of encoder layers); >= 1 for methods that read attention
     */
    public GridCompressionHook(GridMethod method, int stage) {
        this(method, stage, null);
    }

    private GridCompressionHook(GridMethod method, int stage, EncoderPass pass) {
        checkStage(method, stage);
        this.method = method;
        this.stage = stage;
        this.pass = pass;
    }

    public GridMethod method() {
        return method;
    }

    public int stage() {
        return stage;
    }

    @Override
    public int attentionLayer() {
        return method.needsAttention() ? stage - 1 : -1;
    }

    @Override
    public GridCompressionHook bind(int imageTokens) {
        return bind(EncoderPass.of(imageTokens));
    }

    /** This hook for one pass; checks that the grid is square and can take the method's budget. */
    @Override
    public GridCompressionHook bind(EncoderPass newPass) {
        int side = gridSide(newPass.imageTokens() - 1);
        method.keptTokens(side, side);
        return new GridCompressionHook(method, stage, newPass);
    }

    @Override
    public EncoderOutput apply(int k, EncoderOutput state) {
        return apply(k, state, null);
    }

    @Override
    public EncoderOutput apply(int k, EncoderOutput state, NDArray attention) {
        if (k != stage) {
            return state;
        }
        if (pass == null) {
            throw new IllegalStateException("bind(imageTokens) was not called before the encoder ran");
        }
        int n = pass.imageTokens() - 1;
        int side = gridSide(n);
        GridBlock block = GridBlock.split(state.hidden(), n); // [B, 1, D], [B, n, D], [B, T, D]
        GridCompression out = method.compress(
                new GridInputs(block.grid(), side, side, attention, pass.textMask(), pass.sampleKeys()));
        int r = Math.toIntExact(out.grid().getShape().get(1));
        return new EncoderOutput(
                block.join(out.grid()), // [B, 1 + r + T, D]
                state.mask() == null ? null : VisualPooling.compressMask(state.mask(), n, r));
    }

    /** Checks the stage a method runs at, as far as no model is needed: >= 0, and >= 1 for methods that read attention. */
    static void checkStage(GridMethod method, int stage) {
        if (stage < 0) {
            throw new InvalidCompressionException("stage must be >= 0 (0 .. number of encoder layers), got " + stage);
        }
        if (method.needsAttention() && stage == 0) {
            throw new InvalidCompressionException(method.id()
                    + " needs stage >= 1: it reads the attention of the encoder layer before its stage, got stage 0");
        }
    }

    /** The side of a square grid of n tokens (Florence-2's images, and so its grids, are square). */
    static int gridSide(int gridTokens) {
        int side = (int) Math.round(Math.sqrt(gridTokens));
        if (gridTokens < 1 || side * side != gridTokens) {
            throw new InvalidCompressionException(
                    "grid compression needs a square image grid, the image has " + gridTokens + " grid tokens");
        }
        return side;
    }

    @Override
    public String toString() {
        return method + " stage=" + stage;
    }
}
