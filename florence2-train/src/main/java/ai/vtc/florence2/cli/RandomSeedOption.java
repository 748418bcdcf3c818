package ai.vtc.florence2.cli;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionMode;
import picocli.CommandLine.Option;

/**
 * {@code --seed} of the commands that only run the model ({@code evaluate}, {@code generate}, {@code forward}): the
 * seed the {@code random} compression draws its tokens with, which is the trial's seed (give the one {@code train} was
 * given to keep the tokens it trained with). {@code train}'s own {@code --seed} is the trial seed and serves both.
 */
final class RandomSeedOption {

    @Option(
            names = "--seed",
            description =
                    "random: the seed it draws the kept tokens with, the trial's (default: " + SpecDefaults.SEED + ")")
    Long seed;

    /** {@code options} with this seed; {@code --seed} for a mode other than random is refused. */
    Compression resolve(CompressionOptions options) {
        CompressionMode mode = CompressionMode.parse(options.modeId());
        if (seed != null && mode != CompressionMode.RANDOM) {
            throw new IllegalArgumentException(
                    "--seed applies only to --compression random (the seed it draws tokens with), not to " + mode.id());
        }
        return options.resolve(seed == null ? SpecDefaults.SEED : seed);
    }
}
