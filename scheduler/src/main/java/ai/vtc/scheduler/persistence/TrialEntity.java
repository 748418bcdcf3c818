package ai.vtc.scheduler.persistence;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.Training;
import ai.vtc.contracts.TrialCost;
import ai.vtc.contracts.TrialSpec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One content-addressed trial and everything the scheduler knows about it: its spec, state, attempt, the worker's
 * latest progress, checkpoint and reported cost, and the evaluator's accuracy with its interval and comparison.
 */
@Entity
@Table(name = "trial")
public class TrialEntity extends PanacheEntityBase {
    private static final int IN_CHUNK = 1000;

    /** First 16 hex characters of the SHA-256 of the spec's canonical JSON. */
    @Id
    public String id;

    /** {@link TrialSpec} as canonical JSON: its SHA-256 starts with the id. */
    @Column(nullable = false, columnDefinition = "text")
    public String specJson;

    /** {@link Training} id: {@code none} (training-free) or {@code fine_tune}; null in rows from before it was kept. */
    public String training;

    public String mode;
    public Integer factor;
    public Integer stage;
    public Boolean sorted;
    public Integer keep;
    public Integer dominant;
    public Integer imageSize;
    public long seed;

    /** Visual tokens the language model sees (1 global + the grid tokens left), when the model's image size is known. */
    public Integer visualTokens;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TrialStatus status;

    /** The current attempt, 1 for the first publication; events of older attempts are stale. */
    public int attempt;

    /** The last attempt that may run before the trial goes to the dead-letter topic. */
    public int lastAllowedAttempt;

    /** The sweep whose request is on {@code trials} for the current attempt. */
    public String sweepId;

    public String workerId;
    public String device;
    public String phase;
    public long step;
    public long totalSteps;
    public Double loss;
    public Double samplesPerSecond;
    public Double etaSeconds;

    public String checkpointUri;
    public Long checkpointStep;

    public String predictionsUri;
    public Double finalLoss;

    /** What the trial's setting costs ({@link TrialCost} JSON), from {@code TrialEvent.Completed}; null if unreported. */
    @Column(columnDefinition = "text")
    public String costJson;

    /**
     * The trial's score in percent, from {@code EvaluationEvent.Completed}: the official VQAv2 accuracy, or 100 x ANLS
     * for a DocVQA dataset ({@link #metric}).
     */
    public Double accuracy;

    /**
     * What {@link #accuracy} and its statistics measure: {@code vqa_accuracy} or {@code anls}; null before the trial
     * is evaluated and in rows stored before other metrics existed (VQA accuracy).
     */
    public String metric;

    /** Bounds of the accuracy's 95% bootstrap interval, from the evaluator. */
    public Double accuracyLower;

    public Double accuracyUpper;

    /** The paired comparison with the reference trial ({@link ReferenceComparison} JSON), from the evaluator. */
    @Column(columnDefinition = "text")
    public String comparisonJson;

    /** Why the trial has no comparison, from the evaluator. */
    @Column(columnDefinition = "text")
    public String comparisonNote;

    /** Accuracy per answer type as a JSON object. */
    @Column(columnDefinition = "text")
    public String accuracyPerAnswerType;

    public Integer evaluatedQuestions;

    @Column(columnDefinition = "text")
    public String evaluationError;

    @Column(columnDefinition = "text")
    public String failureReason;

    public Instant deadLetteredAt;
    public Instant cancelSentAt;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant updatedAt;
    public Instant startedAt;
    public Instant finishedAt;

    /** A new trial; {@code specJson} is the spec's canonical JSON (its SHA-256 is the id). */
    public static TrialEntity queued(
            String id,
            TrialSpec spec,
            String specJson,
            ModelFacts model,
            String sweepId,
            int maxAttempts,
            Instant now) {
        TrialEntity trial = new TrialEntity();
        trial.id = id;
        trial.specJson = specJson;
        Compression compression = spec.compression();
        trial.training = Training.of(spec).id();
        trial.mode = compression.mode();
        trial.factor = compression.factor();
        trial.stage = compression.stage();
        trial.sorted = compression.sorted();
        trial.keep = compression.keep();
        trial.dominant = compression.dominant();
        trial.imageSize = compression.imageSize();
        trial.seed = spec.seed();
        trial.visualTokens = model == null ? null : model.visualTokens(compression);
        trial.status = TrialStatus.QUEUED;
        trial.attempt = 1;
        trial.lastAllowedAttempt = maxAttempts;
        trial.sweepId = sweepId;
        trial.createdAt = now;
        trial.updatedAt = now;
        return trial;
    }

    public TrialSpec spec() {
        return Json.read(specJson, TrialSpec.class);
    }

    /** Whether the trial fine-tunes (read from the spec for rows stored before the column existed). */
    public Training training() {
        return training != null ? Training.fromId(training) : Training.of(spec());
    }

    /** The trial's compression setting. */
    public Compression compression() {
        return new Compression(mode, factor, stage, sorted, keep, dominant, imageSize);
    }

    /** The reported cost, or null. */
    public TrialCost cost() {
        return costJson == null ? null : Json.read(costJson, TrialCost.class);
    }

    /** The evaluator's comparison with the reference, or null. */
    public ReferenceComparison comparison() {
        return comparisonJson == null ? null : Json.read(comparisonJson, ReferenceComparison.class);
    }

    /** Queues the next attempt for {@code sweep}, with a fresh budget of {@code maxAttempts} attempts. */
    public void requeue(String sweep, int maxAttempts, Instant now) {
        attempt++;
        lastAllowedAttempt = attempt + maxAttempts - 1;
        sweepId = sweep;
        status = TrialStatus.QUEUED;
        deadLetteredAt = null;
        workerId = null;
        device = null;
        phase = null;
        step = 0;
        totalSteps = 0;
        startedAt = null;
        finishedAt = null;
        updatedAt = now;
    }

    public static TrialEntity lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The trials with these ids, locked, in id order (a fixed lock order). */
    public static List<TrialEntity> lockAll(Collection<String> ids) {
        List<String> sorted = ids.stream().sorted().toList();
        List<TrialEntity> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += IN_CHUNK) {
            out.addAll(find("id in ?1 order by id", sorted.subList(i, Math.min(sorted.size(), i + IN_CHUNK)))
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .list());
        }
        return out;
    }

    /** The trials of a sweep in its expansion order. */
    public static List<TrialEntity> ofSweep(String sweepId) {
        return find(
                        "select t from TrialEntity t, SweepTrialEntity st where st.trialId = t.id and st.sweepId = ?1 "
                                + "order by st.position",
                        sweepId)
                .list();
    }

    /** The sweep's trials in {@code statuses}, locked in id order. */
    public static List<TrialEntity> lockOfSweep(String sweepId, List<TrialStatus> statuses) {
        return find(
                        "from TrialEntity t where t.status in ?2 and t.id in "
                                + "(select st.trialId from SweepTrialEntity st where st.sweepId = ?1) order by t.id",
                        sweepId,
                        statuses)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }
}
