package ai.vtc.evaluator.service;

import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.evaluator.persistence.QuestionScores;
import ai.vtc.vqa.stats.PairedBootstrap;

/**
 * The statistics of a trial's accuracy (evaluator/README.md, "Statistics"): its 95% percentile bootstrap interval over
 * questions, and the paired difference to its reference with that difference's interval. Every sweep uses the same
 * resampling ({@link PairedBootstrap#DEFAULT}: 2,000 resamples, seed 0), so a result can be recomputed exactly.
 * Values are in points of accuracy, rounded to 2 decimals as the official accuracy is; whether an interval excludes
 * zero is decided before rounding.
 */
public final class TrialStatistics {
    /** The resampling every evaluation uses. */
    public static final PairedBootstrap BOOTSTRAP = PairedBootstrap.DEFAULT;

    private TrialStatistics() {}

    /** The mean accuracy's interval; null for a trial without questions. */
    public static PairedBootstrap.Interval accuracyInterval(QuestionScores scores) {
        if (scores.size() == 0) {
            return null;
        }
        PairedBootstrap.Interval i = BOOTSTRAP.mean(scores.accuracies());
        return new PairedBootstrap.Interval(round(i.estimate()), round(i.lower()), round(i.upper()));
    }

    /**
     * {@code trial} against its reference over the questions both answered, or null when they share none.
     *
     * @param referenceTrialId the reference's trial id, for the result
     */
    public static ReferenceComparison compare(String referenceTrialId, QuestionScores trial, QuestionScores reference) {
        QuestionScores.Paired paired = trial.pairedWith(reference);
        if (paired.questions() == 0) {
            return null;
        }
        PairedBootstrap.Interval d = BOOTSTRAP.difference(paired.first(), paired.second());
        return new ReferenceComparison(
                referenceTrialId,
                round(d.estimate()),
                round(d.lower()),
                round(d.upper()),
                d.excludesZero(),
                paired.questions());
    }

    /** {@code x} to 2 decimals, half away from zero. */
    public static double round(double x) {
        return Math.signum(x) * Math.round(Math.abs(x) * 100) / 100.0;
    }
}
