package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Compression during training as LLaVolta's multi-stage training: phases {@code {until_step, stage, factor}} apply in
 * order to the optimizer steps before their {@code until_step} (exclusive, counted from 0), and after the last phase
 * the trial's own compression ({@code base}, also the inference setting) applies. Mode and sorting always come from
 * {@code base}; learnable_pool keeps one factor throughout because its weight has one length. Phases exist for the 1D
 * poolings only (LLaVolta's schedule); any other mode trains with its one setting throughout.
 *
 * @param base the trial's compression (training after the phases, and inference)
 * @param phases the staged part, by increasing until_step; empty for a constant setting
 */
public record CompressionSchedule(Compression base, List<Phase> phases) {

    /** Pool at {@code stage} with {@code factor} for the optimizer steps before {@code untilStep}. */
    public record Phase(long untilStep, int stage, int factor) {}

    public CompressionSchedule {
        phases = List.copyOf(phases);
        long previous = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            String where = "compression_schedule[" + i + "]";
            if (!base.mode().pools1d()) {
                throw new InvalidCompressionException(
                        where + ": a staged schedule needs a pooling compression mode (avg_pool or learnable_pool),"
                                + " the trial's is " + base.mode().id());
            }
            if (p.untilStep() <= previous) {
                throw new InvalidCompressionException(where + ".until_step must be > " + previous
                        + " (phases in increasing order), got " + p.untilStep());
            }
            previous = p.untilStep();
            try {
                base.at(p.stage(), p.factor());
            } catch (InvalidCompressionException e) {
                throw new InvalidCompressionException(where + "." + e.getMessage());
            }
            if (base.mode() == CompressionMode.LEARNABLE_POOL && p.factor() != base.factor()) {
                throw new InvalidCompressionException(where + ".factor must equal the trial's factor " + base.factor()
                        + " for learnable_pool (one weight vector of that length), got " + p.factor());
            }
        }
    }

    /** A single setting for the whole run. */
    public static CompressionSchedule constant(Compression compression) {
        return new CompressionSchedule(compression, List.of());
    }

    /** The compression of optimizer step {@code step} (0 for the first step). */
    public Compression at(long step) {
        for (Phase p : phases) {
            if (step < p.untilStep()) {
                return base.at(p.stage(), p.factor());
            }
        }
        return base;
    }

    /** Every setting the schedule can produce, for checking against a model. */
    public List<Compression> settings() {
        List<Compression> out = new ArrayList<>();
        for (Phase p : phases) {
            out.add(base.at(p.stage(), p.factor()));
        }
        out.add(base);
        return out;
    }

    /**
     * Checks every phase and the base against a model run with {@code configured}, its image processor ({@link
     * Compression#validateFor(Florence2Config, Florence2ImageProcessor)}).
     */
    public CompressionSchedule validateFor(Florence2Config config, Florence2ImageProcessor configured) {
        validateFor(config.textConfig().encoderLayers(), VisualTokens.gridTokens(config, configured));
        base.validateFor(config, configured);
        return this;
    }

    /** Checks every phase and the base against a model ({@link Compression#validateFor}). */
    public CompressionSchedule validateFor(int encoderLayers, int gridTokens) {
        for (int i = 0; i < phases.size(); i++) {
            try {
                base.at(phases.get(i).stage(), phases.get(i).factor()).validateFor(encoderLayers, gridTokens);
            } catch (InvalidCompressionException e) {
                throw new InvalidCompressionException("compression_schedule[" + i + "]." + e.getMessage());
            }
        }
        base.validateFor(encoderLayers, gridTokens);
        return this;
    }
}
