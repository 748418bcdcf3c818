package ai.vtc.florence2.train;

import ai.vtc.optim.DeterministicRng;
import java.util.ArrayList;
import java.util.List;

/**
 * The order in which examples are used: a fresh seeded permutation per epoch, consumed batch by batch across epoch
 * boundaries (every micro-batch is full). Its position (epoch, cursor, and the generator's state at the start of the
 * epoch) is checkpointed, so a resumed run sees the same examples in the same order.
 */
final class DataOrder {

    private final int size;
    private final DeterministicRng rng;
    private long[] epochStartState;
    private int epoch;
    private int cursor;
    private int[] permutation;

    DataOrder(int size, long seed) {
        this.size = size;
        this.rng = new DeterministicRng("data", seed);
        startEpoch(0);
    }

    private void startEpoch(int e) {
        epoch = e;
        epochStartState = rng.stateWords();
        permutation = rng.permutation(size);
        cursor = 0;
    }

    <T> List<T> next(List<T> all, int count) {
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (cursor == size) {
                startEpoch(epoch + 1);
            }
            out.add(all.get(permutation[cursor++]));
        }
        return out;
    }

    int epoch() {
        return epoch;
    }

    int cursor() {
        return cursor;
    }

    long[] epochStartState() {
        return epochStartState.clone();
    }

    /** Back to a checkpointed position. */
    void restore(int savedEpoch, int savedCursor, long[] savedEpochStartState) {
        if (savedCursor < 0 || savedCursor > size) {
            throw new IllegalArgumentException(
                    "checkpoint data position " + savedCursor + " is outside 0.." + size + " examples");
        }
        rng.restoreStateWords(savedEpochStartState);
        startEpoch(savedEpoch);
        cursor = savedCursor;
    }
}
