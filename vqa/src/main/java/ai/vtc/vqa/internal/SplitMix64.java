package ai.vtc.vqa.internal;

/**
 * SplitMix64 (Steele, Lea, Flood 2014), written out so that generated data and subsets depend only on the seed, never
 * on the JVM's {@code Random} implementations.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for one item of a stream, independent of how many values other items drew. */
    public static SplitMix64 forItem(long seed, long... path) {
        long s = mix(seed);
        for (long p : path) {
            s = mix(s ^ mix(p + GOLDEN_GAMMA));
        }
        return new SplitMix64(s);
    }

    /** The SplitMix64 finaliser, a bijection on 64-bit values. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [from, to], both inclusive. */
    public int nextInt(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public boolean chance(double p) {
        return nextDouble() < p;
    }

    public <T> T pick(java.util.List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** An index drawn with probability proportional to {@code weights[i]}. */
    public int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
