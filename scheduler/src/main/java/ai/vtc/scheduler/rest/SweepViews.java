package ai.vtc.scheduler.rest;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.TrialCost;
import ai.vtc.scheduler.persistence.SubmissionOutcome;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import ai.vtc.scheduler.service.SweepService;
import ai.vtc.vqa.stats.SeedSpread;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON the sweep endpoints answer with (snake_case on the wire). */
public final class SweepViews {
    private SweepViews() {}

    /** A sweep in a list: its status (completed is derived) and trials per state. */
    public record SweepSummary(
            String id,
            String name,
            String status,
            String statusReason,
            Instant createdAt,
            long trials,
            Map<String, Long> counts) {
        static SweepSummary of(SweepEntity sweep, Map<TrialStatus, Long> perState) {
            Map<String, Long> counts = new LinkedHashMap<>();
            long total = 0;
            long active = 0;
            for (TrialStatus state : TrialStatus.values()) {
                long n = perState.getOrDefault(state, 0L);
                counts.put(state.label(), n);
                total += n;
                active += state.isActive() ? n : 0;
            }
            SweepStatus status =
                    sweep.status == SweepStatus.RUNNING && active == 0 ? SweepStatus.COMPLETED : sweep.status;
            return new SweepSummary(
                    sweep.id, sweep.name, status.label(), sweep.statusReason, sweep.createdAt, total, counts);
        }
    }

    /** A sweep with its spec and trial table. */
    public record SweepDetail(
            String id,
            String name,
            String status,
            String statusReason,
            Instant createdAt,
            Map<String, Long> counts,
            String specYaml,
            JsonNode spec,
            List<TrialRow> trials) {
        static SweepDetail of(SweepEntity sweep, SweepSummary summary, List<TrialEntity> trials) {
            return new SweepDetail(
                    sweep.id,
                    sweep.name,
                    summary.status(),
                    sweep.statusReason,
                    sweep.createdAt,
                    summary.counts(),
                    sweep.specYaml,
                    tree(sweep.specJson),
                    trials.stream().map(TrialRow::of).toList());
        }
    }

    /** One line of a sweep's trial table. */
    public record TrialRow(
            String id,
            String status,
            int attempt,
            String training,
            String setting,
            String mode,
            Integer factor,
            Integer stage,
            Boolean sorted,
            Integer keep,
            Integer dominant,
            Integer imageSize,
            long seed,
            Integer visualTokens,
            String phase,
            long step,
            long totalSteps,
            Double loss,
            Double accuracy,
            String workerId,
            Long checkpointStep,
            Instant updatedAt) {
        static TrialRow of(TrialEntity t) {
            return new TrialRow(
                    t.id,
                    t.status.label(),
                    t.attempt,
                    t.training().id(),
                    t.compression().label(),
                    t.mode,
                    t.factor,
                    t.stage,
                    t.sorted,
                    t.keep,
                    t.dominant,
                    t.imageSize,
                    t.seed,
                    t.visualTokens,
                    t.phase,
                    t.step,
                    t.totalSteps,
                    t.loss,
                    t.accuracy,
                    t.workerId,
                    t.checkpointStep,
                    t.updatedAt);
        }
    }

    /** What {@code POST /sweeps} did: the sweep id and each trial, new, queued again or reused. */
    public record Submitted(
            String id,
            String name,
            String status,
            int trialsTotal,
            long newTrials,
            long requeuedTrials,
            long reusedTrials,
            List<SubmittedTrial> trials) {
        static Submitted of(SweepService.Submission submission) {
            List<SubmittedTrial> trials = submission.trials().stream()
                    .map(s -> new SubmittedTrial(
                            s.trial().id,
                            s.submission().label(),
                            s.trial().status.label(),
                            s.trial().mode,
                            s.trial().factor,
                            s.trial().stage,
                            s.trial().sorted,
                            s.trial().keep,
                            s.trial().dominant,
                            s.trial().imageSize,
                            s.trial().seed))
                    .toList();
            boolean active =
                    submission.trials().stream().anyMatch(s -> s.trial().status.isActive());
            return new Submitted(
                    submission.sweep().id,
                    submission.sweep().name,
                    (active ? SweepStatus.RUNNING : SweepStatus.COMPLETED).label(),
                    trials.size(),
                    submission.count(SubmissionOutcome.NEW),
                    submission.count(SubmissionOutcome.REQUEUED),
                    submission.count(SubmissionOutcome.REUSED),
                    trials);
        }
    }

    public record SubmittedTrial(
            String id,
            String submission,
            String status,
            String mode,
            Integer factor,
            Integer stage,
            Boolean sorted,
            Integer keep,
            Integer dominant,
            Integer imageSize,
            long seed) {}

    /** The evaluated trials of a sweep, best first. */
    public record Results(String sweepId, String name, int evaluated, int pending, List<ResultRow> results) {}

    /**
     * One evaluated trial: its setting, accuracy with interval, comparison with its reference (or why there is none),
     * spread across seeds, cost and Pareto flags.
     *
     * @param training {@code none} (training-free) or {@code fine_tune}
     * @param setting the compression with every parameter of its method ({@code dominant_merge keep=36 ...})
     * @param comparison accuracy minus the reference trial's over the questions both answered, with its paired 95%
     *     interval and whether that excludes zero; null without a reference ({@code comparisonNote} says why)
     * @param seeds evaluated trials of this setting (training and compression) in the sweep, one per seed
     * @param seedSd sample standard deviation of their accuracies; null for one seed
     * @param onFront per cost axis ({@code tokens}, {@code gflops}, {@code latency}): whether the trial is on the
     *     Pareto front of accuracy against that cost; an axis whose cost the trial lacks is absent
     */
    public record ResultRow(
            String trialId,
            String training,
            String setting,
            String mode,
            Integer factor,
            Integer stage,
            Boolean sorted,
            Integer keep,
            Integer dominant,
            Integer imageSize,
            long seed,
            Integer visualTokens,
            String metric,
            double accuracy,
            Double accuracyLower,
            Double accuracyUpper,
            ReferenceComparison comparison,
            String comparisonNote,
            int seeds,
            double seedMean,
            Double seedSd,
            Map<String, Double> perAnswerType,
            Integer questions,
            TrialCost cost,
            Map<String, Boolean> onFront) {
        static ResultRow of(
                TrialEntity t,
                ReferenceComparison comparison,
                String comparisonNote,
                SeedSpread spread,
                Map<String, Boolean> onFront) {
            return new ResultRow(
                    t.id,
                    t.training().id(),
                    t.compression().label(),
                    t.mode,
                    t.factor,
                    t.stage,
                    t.sorted,
                    t.keep,
                    t.dominant,
                    t.imageSize,
                    t.seed,
                    t.visualTokens,
                    t.metric == null ? DatasetTask.VQA.metric() : t.metric,
                    t.accuracy,
                    t.accuracyLower,
                    t.accuracyUpper,
                    comparison,
                    comparisonNote,
                    spread.seeds(),
                    spread.mean(),
                    spread.sd(),
                    t.accuracyPerAnswerType == null ? Map.of() : AccuracyByType.read(t.accuracyPerAnswerType),
                    t.evaluatedQuestions,
                    t.cost(),
                    onFront);
        }
    }

    /** What a cancel or a retry did. */
    public record Changed(String id, String status, int cancelled, int cancelling, int kept, int retried) {}

    static JsonNode tree(String json) {
        try {
            return json == null ? null : Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }
}
