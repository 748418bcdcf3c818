package ai.vtc.scheduler.rest;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.TrialCost;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialEventEntity;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON the trial endpoints answer with. */
public final class TrialViews {
    private TrialViews() {}

    /**
     * A trial with its spec, the sweeps it belongs to, its cost, accuracy and comparison with its reference (as the
     * evaluator last announced them), and every event received about it.
     */
    public record TrialDetail(
            String id,
            String status,
            int attempt,
            int lastAllowedAttempt,
            String sweepId,
            List<String> sweeps,
            JsonNode spec,
            Integer visualTokens,
            String workerId,
            String device,
            String phase,
            long step,
            long totalSteps,
            Double loss,
            Double samplesPerSecond,
            Double etaSeconds,
            String checkpointUri,
            Long checkpointStep,
            String predictionsUri,
            Double finalLoss,
            String training,
            TrialCost cost,
            String metric,
            Double accuracy,
            Double accuracyLower,
            Double accuracyUpper,
            ReferenceComparison comparison,
            String comparisonNote,
            Map<String, Double> accuracyPerAnswerType,
            String evaluationError,
            String failureReason,
            Instant deadLetteredAt,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            Instant updatedAt,
            List<EventView> events) {
        static TrialDetail of(TrialEntity t, List<String> sweeps, List<TrialEventEntity> events) {
            return new TrialDetail(
                    t.id,
                    t.status.label(),
                    t.attempt,
                    t.lastAllowedAttempt,
                    t.sweepId,
                    sweeps,
                    SweepViews.tree(t.specJson),
                    t.visualTokens,
                    t.workerId,
                    t.device,
                    t.phase,
                    t.step,
                    t.totalSteps,
                    t.loss,
                    t.samplesPerSecond,
                    t.etaSeconds,
                    t.checkpointUri,
                    t.checkpointStep,
                    t.predictionsUri,
                    t.finalLoss,
                    t.training().id(),
                    t.cost(),
                    t.metric,
                    t.accuracy,
                    t.accuracyLower,
                    t.accuracyUpper,
                    t.comparison(),
                    t.comparisonNote,
                    t.accuracyPerAnswerType == null ? null : AccuracyByType.read(t.accuracyPerAnswerType),
                    t.evaluationError,
                    t.failureReason,
                    t.deadLetteredAt,
                    t.createdAt,
                    t.startedAt,
                    t.finishedAt,
                    t.updatedAt,
                    events.stream().map(EventView::of).toList());
        }
    }

    /** An event as received, with what it did to the trial. */
    public record EventView(
            String type, int attempt, Instant at, Instant receivedAt, String outcome, JsonNode payload) {
        static EventView of(TrialEventEntity e) {
            return new EventView(e.type, e.attempt, e.at, e.receivedAt, e.outcome.label(), SweepViews.tree(e.payload));
        }
    }

    /** A trial's checkpoints in object storage, each file with a presigned download URL. */
    public record Checkpoints(String trialId, long expiresInSeconds, List<Checkpoint> checkpoints) {}

    public record Checkpoint(long step, List<FileLink> files) {}

    /** A checkpoint file: a download is intact when its bytes have this sha256. */
    public record FileLink(String name, String key, String sha256, String url) {}
}
