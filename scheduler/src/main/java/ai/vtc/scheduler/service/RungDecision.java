package ai.vtc.scheduler.service;

import ai.vtc.vqa.stats.PairedBootstrap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rule of a rung of a Pareto race: a trial stops when another trial of the sweep costs no more (visual tokens) and
 * is more accurate on the rung's questions with the paired bootstrap interval of the difference excluding zero. It is
 * then dominated with confidence, so it cannot be on the front the whole evaluation set would give (up to the stated
 * confidence), and its remaining questions would be spent for nothing. Every entrant is judged against every other
 * entrant of the rung, stopped or not: dominance is a property of the rung's evidence, not of the order of the
 * judgements, so the decision is the same however often it is made. The uncompressed reference trials are never
 * stopped (they may stop others): every trial's paired difference to its reference, which the results report, needs
 * the reference's answers on the whole evaluation set.
 */
public final class RungDecision {
    private static final int RESAMPLES = 2000;
    private static final long SEED = 0;

    private RungDecision() {}

    /**
     * A trial's evidence at the rung.
     *
     * @param cost visual tokens (lower is cheaper)
     * @param scores per-question VQA accuracy in [0, 1], in the order of the evaluation set's prefix
     * @param reference an uncompressed trial ({@code mode: none}): the reference of the paired comparisons, never stopped
     */
    public record Entrant(String trialId, double cost, double[] scores, boolean reference) {
        double accuracy() {
            double sum = 0;
            for (double s : scores) {
                sum += s;
            }
            return sum / scores.length;
        }
    }

    /**
     * What the rung decided for one trial.
     *
     * @param dominatedBy the trial that dominates it with confidence; null: it goes on
     * @param difference accuracy of {@code dominatedBy} minus this trial's, in points, with its paired interval; null
     *     when it goes on
     */
    public record Verdict(String trialId, String dominatedBy, PairedBootstrap.Interval difference) {
        public boolean stopped() {
            return dominatedBy != null;
        }
    }

    /**
     * The verdict of every entrant, in the order given. Of several trials that dominate one, the evidence kept is the
     * strongest (highest lower bound; then the lower trial id), so the record names one dominator deterministically.
     *
     * @throws IllegalArgumentException when two entrants answered a different number of questions
     */
    public static List<Verdict> decide(List<Entrant> entrants, double confidence) {
        PairedBootstrap bootstrap = new PairedBootstrap(RESAMPLES, confidence, SEED);
        List<Verdict> verdicts = new ArrayList<>();
        for (Entrant judged : entrants) {
            if (judged.reference()) {
                verdicts.add(new Verdict(judged.trialId(), null, null));
                continue;
            }
            Optional<Verdict> stop = entrants.stream()
                    .filter(other -> other != judged && other.cost() <= judged.cost())
                    .filter(other -> other.accuracy() > judged.accuracy())
                    .map(other -> new Verdict(
                            judged.trialId(),
                            other.trialId(),
                            bootstrap
                                    .difference(other.scores(), judged.scores())
                                    .scaled(100)))
                    .filter(v -> v.difference().lower() > 0)
                    .max(Comparator.comparingDouble(
                                    (Verdict v) -> v.difference().lower())
                            .thenComparing(Verdict::dominatedBy, Comparator.reverseOrder()));
            verdicts.add(stop.orElse(new Verdict(judged.trialId(), null, null)));
        }
        return verdicts;
    }
}
