package ai.vtc.florence2.compress;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a 64-bit state advanced
 * by the golden-ratio increment 0x9E3779B97F4A7C15 and hashed by the MurmurHash3-style finaliser {@link #mix}. Written
 * out here rather than taken from the JDK so that a selection never depends on the Java version (the JDK's generators
 * do not promise their algorithms) and can be reproduced in any language.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long state) {
        this.state = state;
    }

    /** The generator of one (trial seed, sample key) pair: state = mix(mix(seed) + key). */
    static SplitMix64 forSample(long seed, long key) {
        return new SplitMix64(mix(mix(seed) + key));
    }

    /** SplitMix64's finaliser (variant 13 of Stafford's mixers). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /**
     * Uniform in [0, bound) without modulo bias: 63 random bits, rejected when they fall in the incomplete last block of
     * {@code bound} values (the rejection rule of {@code java.util.Random.nextInt(int)}).
     */
    int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be >= 1, got " + bound);
        }
        while (true) {
            long bits = nextLong() >>> 1;
            long value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return (int) value;
            }
        }
    }
}
