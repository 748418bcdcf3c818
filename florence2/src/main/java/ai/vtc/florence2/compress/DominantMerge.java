package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Tensors;
import java.util.Arrays;

/**
 * {@code dominant_merge} (VisionZip-style), per sample: the d grid tokens with the highest {@link AttentionScores text
 * attention} are kept as they are (dominant); the other n - d tokens R (in original order) are merged into c = r - d
 * contextual tokens. The merge targets are R[floor(t * |R| / c)] for t = 0 .. c-1; every other token of R joins the
 * target it is most cosine-similar to (hidden states entering the stage; ties: the earlier target); a contextual token
 * is the mean of its target and the tokens that joined it. Output: the dominant tokens in original order, then the
 * contextual tokens in target order. Letters: B batch, n grid tokens, r kept, d dominant, c contextual, D model width.
 *
 * @param keep grid tokens left (r >= 2)
 * @param dominant dominant tokens among them (1 <= d < r)
 */
public record DominantMerge(int keep, int dominant) implements SelectionMethod {

    public static final String ID = "dominant_merge";

    public DominantMerge {
        if (keep < 2) {
            throw new InvalidCompressionException(ID + " keep must be >= 2 (dominant plus contextual), got " + keep);
        }
        if (dominant < 1 || dominant >= keep) {
            throw new InvalidCompressionException(
                    ID + " dominant must be in 1.." + (keep - 1) + " (fewer than keep " + keep + "), got " + dominant);
        }
    }

    /** The default number of dominant tokens for a budget: min(round(0.84 r), r - 1), VisionZip's proportion. */
    public static int defaultDominant(int keep) {
        return (int) Math.min(Math.round(0.84 * keep), keep - 1L);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean needsAttention() {
        return true;
    }

    @Override
    public GridCompression compress(GridInputs inputs) {
        return merge(inputs.grid(), AttentionScores.of(inputs, ID), keep, dominant);
    }

    /**
     * grid [B, n, D], attention scores [B][n] -> [B, r, D] (dominant, then contextual), kept indices [B, r] (dominant
     * ascending, then the targets) and the slot of every grid token [B, n]
     */
    public static GridCompression merge(NDArray grid, double[][] scores, int keep, int dominant) {
        int batch = scores.length;
        int n = Math.toIntExact(grid.getShape().get(1));
        GridSelection.checkKeep(ID, keep, n);
        int contextual = keep - dominant;
        float[][] cosines = CosineSimilarity.matrices(grid);
        int[][] dominantRows = new int[batch][];
        int[][] anchors = new int[batch][keep];
        int[][] slots = new int[batch][];
        float[] members = new float[batch * contextual * n]; // 1 where grid token j joins contextual slot t
        float[] sizes = new float[batch * contextual];
        for (int b = 0; b < batch; b++) {
            dominantRows[b] = GridSelection.topAscending(scores[b], dominant);
            int[] rest = rest(dominantRows[b], n);
            int[] targets = targets(rest, contextual);
            slots[b] = assign(dominantRows[b], rest, targets, cosines[b], n);
            System.arraycopy(dominantRows[b], 0, anchors[b], 0, dominant);
            System.arraycopy(targets, 0, anchors[b], dominant, contextual);
            for (int j = 0; j < n; j++) {
                int t = slots[b][j] - dominant;
                if (t >= 0) {
                    members[(b * contextual + t) * n + j] = 1f;
                    sizes[b * contextual + t] += 1f;
                }
            }
        }
        NDArray dominantTokens = GridSelection.gather(grid, GridSelection.indices(grid, dominantRows)); // [B, d, D]
        NDArray membership = Tensors.floats(grid.getManager(), members, new Shape(batch, contextual, n))
                .toDevice(grid.getDevice(), false); // [B, c, n]
        NDArray counts = Tensors.floats(grid.getManager(), sizes, new Shape(batch, contextual, 1))
                .toDevice(grid.getDevice(), false); // [B, c, 1]
        NDArray merged = membership.matMul(grid).div(counts); // [B, c, D]: the mean of each target and its joiners
        return new GridCompression(
                dominantTokens.concat(merged, 1), // [B, r, D]
                GridSelection.indices(grid, anchors),
                null,
                GridSelection.indices(grid, slots));
    }

    /** The non-dominant grid tokens R in original order. */
    private static int[] rest(int[] dominantAscending, int n) {
        int[] rest = new int[n - dominantAscending.length];
        int next = 0;
        int d = 0;
        for (int j = 0; j < n; j++) {
            if (d < dominantAscending.length && dominantAscending[d] == j) {
                d++;
            } else {
                rest[next++] = j;
            }
        }
        return rest;
    }

    /** The merge targets R[floor(t * |R| / c)], t = 0 .. c-1. */
    private static int[] targets(int[] rest, int contextual) {
        int[] targets = new int[contextual];
        for (int t = 0; t < contextual; t++) {
            targets[t] = rest[(int) ((long) t * rest.length / contextual)];
        }
        return targets;
    }

    /**
     * One sample's output slot for every grid token: dominant token i of the ascending list -> i; target t -> d + t;
     * any other token of R -> d + the target of highest cosine similarity (ties: the earlier target).
     */
    private static int[] assign(int[] dominantAscending, int[] rest, int[] targets, float[] cosine, int n) {
        int d = dominantAscending.length;
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        for (int i = 0; i < d; i++) {
            slot[dominantAscending[i]] = i;
        }
        for (int t = 0; t < targets.length; t++) {
            slot[targets[t]] = d + t;
        }
        for (int j : rest) {
            if (slot[j] >= 0) {
                continue; // a target
            }
            int best = 0;
            for (int t = 1; t < targets.length; t++) {
                if (cosine[j * n + targets[t]] > cosine[j * n + targets[best]]) {
                    best = t;
                }
            }
            slot[j] = d + best;
        }
        return slot;
    }
}
