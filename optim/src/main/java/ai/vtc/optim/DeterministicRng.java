package ai.vtc.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A seeded xoshiro256** generator (Blackman and Vigna) whose whole state is four longs, so it can be checkpointed and
 * restored exactly ({@link java.util.Random} and {@link java.util.SplittableRandom} hide theirs). Seeding expands one
 * long with SplitMix64, as the authors recommend. For the engine's own randomness (dropout, random init) use
 * {@link #seedEngineForStep}: it re-seeds libtorch from (seed, step) alone, so a resumed run draws the same numbers as
 * an uninterrupted one without saving libtorch's generator.
 *
 * <p>State keys: {@code <name>.seed} (INT64 [1]) and {@code <name>.state} (INT64 [4]); the default name is {@code rng}.
 */
public final class DeterministicRng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final String name;
    private final long seed;
    private final long[] s = new long[4];

    public DeterministicRng(long seed) {
        this("rng", seed);
    }

    /** @param name prefix of the state keys, to keep several generators in one checkpoint */
    public DeterministicRng(String name, long seed) {
        this.name = name;
        this.seed = seed;
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += GOLDEN_GAMMA;
            s[i] = mix64(x);
        }
    }

    public long seed() {
        return seed;
    }

    /** The next 64 random bits (xoshiro256**). */
    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Shuffles in place (Fisher-Yates from the end). */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    /** A random permutation of 0 .. n-1. */
    public int[] permutation(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        shuffle(values);
        return values;
    }

    /** A copy of the four state words. */
    public long[] stateWords() {
        return s.clone();
    }

    public void restoreStateWords(long[] words) {
        if (words.length != 4) {
            throw new IllegalArgumentException("xoshiro256** state has 4 words, got " + words.length);
        }
        if ((words[0] | words[1] | words[2] | words[3]) == 0) {
            throw new IllegalArgumentException("xoshiro256** state must not be all zero");
        }
        System.arraycopy(words, 0, s, 0, 4);
    }

    /**
     * A libtorch seed that depends only on (seed, step): SplitMix64's mixer applied to both, kept non-negative for
     * DJL's {@code int} API.
     */
    public static int engineSeed(long seed, long step) {
        return (int) (mix64(mix64(seed + GOLDEN_GAMMA) ^ (step * GOLDEN_GAMMA)) >>> 33);
    }

    /** Seeds DJL's engine (libtorch's default generator and DJL's RandomUtils) for this step of this run. */
    public void seedEngineForStep(long step) {
        Engine.getInstance().setRandomSeed(engineSeed(seed, step));
    }

    public Map<String, NDArray> state(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(name + ".seed", StateArrays.counter(manager, seed));
        out.put(name + ".state", manager.create(stateWords()));
        return out;
    }

    /** Restores the state words from {@code <name>.state}; the seed must match this generator's. */
    public void loadState(Map<String, NDArray> state) {
        NDArray storedSeed = state.get(name + ".seed");
        NDArray words = state.get(name + ".state");
        if (storedSeed == null || words == null) {
            throw new IllegalArgumentException("missing " + name + ".seed or " + name + ".state");
        }
        long loadedSeed = StateArrays.readCounter(name + ".seed", storedSeed);
        if (loadedSeed != seed) {
            throw new IllegalArgumentException(
                    "checkpoint was written with seed " + loadedSeed + ", this run uses " + seed);
        }
        restoreStateWords(words.toLongArray());
    }

    /** SplitMix64's output function (Stafford variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
