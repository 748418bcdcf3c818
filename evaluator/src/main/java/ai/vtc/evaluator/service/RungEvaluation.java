package ai.vtc.evaluator.service;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.vqa.VqaAccuracy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Scores a rung of a Pareto race: the predictions of a prefix of the evaluation set. The result is not the trial's
 * (nothing is stored, no gauge changes): it goes back to the scheduler with each question's score in the order of the
 * evaluation set, so that the race can pair two trials question by question. Scoring is deterministic, so a
 * redelivered rung is scored again to the same answer.
 */
@ApplicationScoped
public class RungEvaluation {
    private static final Logger LOG = Logger.getLogger(RungEvaluation.class);

    private final Scorer scorer;

    public RungEvaluation(Scorer scorer) {
        this.scorer = scorer;
    }

    public EvaluationEvent evaluate(PredictionsReady ready) {
        try {
            Scorer.Scored scored = scorer.score(ready);
            VqaAccuracy accuracy = scored.scores();
            List<Double> scores = Arrays.stream(accuracy.questionAccuracies())
                    .map(a -> a / 100)
                    .boxed()
                    .toList();
            return new EvaluationEvent.Completed(
                    ready.trialId(),
                    ready.sweepId(),
                    Instant.now(),
                    accuracy.overall(),
                    accuracy.perAnswerType(),
                    accuracy.perQuestionType(),
                    accuracy.questionCount(),
                    null,
                    null,
                    null,
                    null,
                    scored.metric(),
                    ready.evalFraction(),
                    scores);
        } catch (EvaluationProblem e) {
            LOG.warnf("trial %s, rung %s: %s", ready.trialId(), ready.evalFraction(), e.getMessage());
            return new EvaluationEvent.Failed(
                    ready.trialId(),
                    ready.sweepId(),
                    Instant.now(),
                    "rung " + ready.evalFraction() + " of the race: " + e.getMessage());
        }
    }
}
