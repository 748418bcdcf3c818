package ai.vtc.evaluator.service;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.Compression;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.evaluator.metrics.AccuracyMetrics;
import ai.vtc.evaluator.persistence.CostColumns;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.persistence.EvaluationStatus;
import ai.vtc.evaluator.persistence.QuestionScores;
import ai.vtc.evaluator.persistence.QuestionScoresEntity;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.stats.PairedBootstrap;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Evaluates a trial once and stores the result with its accuracy interval and per-question scores (the comparison with
 * the reference follows in {@link SweepComparisons}), and keeps the Prometheus gauges in line with the database.
 */
@ApplicationScoped
public class EvaluationService {
    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final Scorer scorer;
    private final AccuracyMetrics metrics;

    public EvaluationService(Scorer scorer, AccuracyMetrics metrics) {
        this.scorer = scorer;
        this.metrics = metrics;
    }

    /** Restores the gauges of every stored result, so a restart does not empty the dashboards. */
    void restoreMetrics(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> EvaluationEntity.completed().forEach(metrics::show));
    }

    /**
     * The stored evaluation of the trial, computing it first unless a previous {@code PredictionsReady} already did
     * (a duplicate does not create a second result).
     */
    public EvaluationEntity evaluate(PredictionsReady ready) {
        EvaluationEntity existing =
                QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(ready.trialId()));
        if (existing != null) {
            LOG.infof(
                    "trial %s was evaluated already (%s); not evaluating again",
                    ready.trialId(), existing.status.label());
            return existing;
        }
        long t0 = System.nanoTime();
        EvaluationEntity entity = describe(ready);
        QuestionScores scores = null;
        try {
            Scorer.Scored scored = scorer.score(ready);
            VqaAccuracy accuracy = scored.scores();
            entity.metric = scored.metric();
            entity.status = EvaluationStatus.COMPLETED;
            entity.overall = accuracy.overall();
            entity.perAnswerType = AccuracyByType.write(accuracy.perAnswerType());
            entity.perQuestionType = AccuracyByType.write(accuracy.perQuestionType());
            entity.questions = accuracy.questionCount();
            scores = QuestionScores.of(accuracy.questionIds(), accuracy.questionAccuracies());
            PairedBootstrap.Interval interval = TrialStatistics.accuracyInterval(scores);
            if (interval != null) {
                entity.accuracyLower = interval.lower();
                entity.accuracyUpper = interval.upper();
            }
        } catch (EvaluationProblem e) {
            LOG.warnf("trial %s: %s", ready.trialId(), e.getMessage());
            entity.status = EvaluationStatus.FAILED;
            entity.reason = e.getMessage();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        entity.durationMillis = took.toMillis();
        entity.evaluatedAt = Instant.now();
        QuestionScores perQuestion = scores;
        EvaluationEntity stored = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity raced = EvaluationEntity.findById(ready.trialId());
            if (raced != null) {
                return raced;
            }
            entity.persist();
            if (perQuestion != null) {
                QuestionScoresEntity.of(entity.trialId, perQuestion).persist();
            }
            return entity;
        });
        if (stored == entity) {
            metrics.evaluated(entity, took);
        }
        return stored;
    }

    private static EvaluationEntity describe(PredictionsReady ready) {
        EvaluationEntity e = new EvaluationEntity();
        e.trialId = ready.trialId();
        e.sweepId = ready.sweepId();
        Compression c = ready.compression();
        e.mode = c.mode();
        e.factor = c.factor();
        e.stage = c.stage();
        e.sorted = c.sorted();
        e.keep = c.keep();
        e.dominant = c.dominant();
        e.imageSize = c.imageSize();
        e.training = ready.training().id();
        e.trainSettingsSha256 = ready.trainSettingsSha256();
        e.seed = ready.seed();
        e.visualTokens = ready.visualTokens();
        e.cost = CostColumns.of(ready.cost());
        e.predictionsUri = ready.predictionsUri();
        e.dataset = ready.dataset().name();
        e.subset = ready.dataset().evaluationSubset();
        e.split = ready.split();
        return e;
    }
}
