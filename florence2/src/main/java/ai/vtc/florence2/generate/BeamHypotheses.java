package ai.vtc.florence2.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The finished hypotheses of one sample in beam search (Hugging Face's {@code BeamHypotheses}): at most {@code
 * numBeams}, scored by sum of log-probabilities / generated_length^length_penalty, the worst dropped when a better one
 * arrives.
 */
final class BeamHypotheses {

    record Hypothesis(double score, long[] tokens) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final boolean earlyStopping;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, boolean earlyStopping) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
    }

    int size() {
        return beams.size();
    }

    void add(long[] tokens, double sumLogProbs, int generatedLength) {
        double score = sumLogProbs / Math.pow(generatedLength, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(score, tokens));
            if (beams.size() > numBeams) {
                int worst = 0;
                for (int i = 1; i < beams.size(); i++) {
                    if (beams.get(i).score() < beams.get(worst).score()) {
                        worst = i;
                    }
                }
                beams.remove(worst);
                worstScore = beams.stream().mapToDouble(Hypothesis::score).min().orElseThrow();
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /** Whether no beam can still improve this sample (HF's {@code is_done}, early_stopping true/false). */
    boolean isDone(double bestSumLogProbs, int generatedLength) {
        if (beams.size() < numBeams) {
            return false;
        }
        if (earlyStopping) {
            return true;
        }
        double highestAttainable = bestSumLogProbs / Math.pow(generatedLength, lengthPenalty);
        return worstScore >= highestAttainable;
    }

    /** The best hypothesis; among equal scores the one added last (Python's stable sort, then pop()). */
    Hypothesis best() {
        List<Hypothesis> sorted = new ArrayList<>(beams);
        sorted.sort(Comparator.comparingDouble(Hypothesis::score));
        return sorted.get(sorted.size() - 1);
    }
}
