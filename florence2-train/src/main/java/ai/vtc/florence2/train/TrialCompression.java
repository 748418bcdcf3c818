package ai.vtc.florence2.train;

import ai.vtc.florence2.compress.Compression;

/**
 * A sweep trial's compression ({@code ai.vtc.contracts.Compression}, as the scheduler resolved it) as the model
 * library's {@link Compression}: the same mode and parameters, and for {@code random} the trial's seed, which a sweep
 * does not spell in the compression (the same trial, run again or resumed, keeps the same tokens per question).
 */
public final class TrialCompression {

    private TrialCompression() {}

    /**
     * @param sweep the trial spec's compression
     * @param trialSeed the trial's seed (random draws its tokens with it; the other modes ignore it)
     * @throws ai.vtc.florence2.compress.InvalidCompressionException when the library cannot take the setting
     */
    public static Compression of(ai.vtc.contracts.Compression sweep, long trialSeed) {
        return Compression.of(
                sweep.mode(),
                sweep.factor(),
                sweep.stage(),
                sweep.sorted(),
                sweep.keep(),
                sweep.dominant(),
                sweep.imageSize(),
                trialSeed);
    }
}
