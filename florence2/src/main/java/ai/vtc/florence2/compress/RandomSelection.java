package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * {@code random} (the control): keep r of the n grid tokens of each sample, uniformly at random without replacement,
 * in their original order. The choice is a pure function of the trial seed and the sample's key (its question id), so
 * a trial run twice or resumed keeps the same tokens for the same question, whatever the batch it lands in: the
 * generator is {@link SplitMix64} with state mix(mix(seed) + key), and the first r steps of a Fisher-Yates shuffle of
 * 0 .. n-1 (step i swaps position i with i + nextInt(n - i)) give the kept set.
 *
 * @param keep grid tokens kept (r)
 * @param seed the trial seed
 */
public record RandomSelection(int keep, long seed) implements SelectionMethod {

    public static final String ID = "random";

    public RandomSelection {
        GridSelection.checkKeep(ID, keep, Integer.MAX_VALUE);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public GridCompression compress(GridInputs inputs) {
        long[] keys = inputs.sampleKeys();
        if (keys == null) {
            throw new IllegalStateException(ID + " needs one key per sample (the question ids) to choose its tokens");
        }
        return select(inputs.grid(), seed, keys, keep);
    }

    /** grid [B, n, D], one key per sample -> the r chosen tokens of each sample [B, r, D] and their indices [B, r] */
    public static GridCompression select(NDArray grid, long seed, long[] sampleKeys, int keep) {
        int batch = Math.toIntExact(grid.getShape().get(0));
        int n = Math.toIntExact(grid.getShape().get(1));
        GridSelection.checkKeep(ID, keep, n);
        if (sampleKeys.length != batch) {
            throw new IllegalArgumentException(
                    ID + " got " + sampleKeys.length + " sample keys for a batch of " + batch);
        }
        int[][] kept = new int[batch][];
        for (int b = 0; b < batch; b++) {
            kept[b] = chosen(seed, sampleKeys[b], n, keep);
        }
        return GridSelection.keep(grid, kept);
    }

    /** The r grid indices (ascending) that sample {@code key} keeps out of n under trial seed {@code seed}. */
    public static int[] chosen(long seed, long key, int n, int keep) {
        SplitMix64 random = SplitMix64.forSample(seed, key);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < keep; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] kept = Arrays.copyOf(order, keep);
        Arrays.sort(kept);
        return kept;
    }
}
