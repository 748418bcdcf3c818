package ai.vtc.worker.service;

import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.TrainingSample;
import ai.vtc.worker.metrics.WorkerMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The worker's side of one run, the only {@link TrialRunner.Listener} it has: reports progress as events and meters,
 * uploads each checkpoint before announcing it, and answers the runner's "should I stop?" from the {@link StopSignal}.
 * One instance per run, called on the runner's thread.
 */
final class RunListener implements TrialRunner.Listener {
    private static final Logger LOG = Logger.getLogger(RunListener.class);
    private final TrialRequested trial;
    private final EventSink events;
    private final CheckpointStore checkpoints;
    private final WorkerMetrics metrics;
    private final StopSignal stop;
    private long lastStep;
    private long lastNanos = System.nanoTime();

    RunListener(
            TrialRequested trial,
            EventSink events,
            CheckpointStore checkpoints,
            WorkerMetrics metrics,
            StopSignal stop) {
        this.trial = trial;
        this.events = events;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.stop = stop;
    }

    @Override
    public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {
        long now = System.nanoTime();
        if (phase.equals("train") && step > lastStep) {
            metrics.steps(step - lastStep, Duration.ofNanos(now - lastNanos), samplesPerSecond);
        }
        lastStep = step;
        lastNanos = now;
        double rate = samplesPerSecond > 0 ? samplesPerSecond : 0;
        double eta = rate > 0 && totalSteps > step ? (totalSteps - step) * secondsPerStep(samplesPerSecond) : 0;
        events.event(new TrialEvent.Progress(
                trial.trialId(), trial.attempt(), Instant.now(), phase, step, totalSteps, loss, rate, eta));
    }

    private double secondsPerStep(double samplesPerSecond) {
        Integer batch =
                trial.spec().train() == null ? null : trial.spec().train().batchSize();
        return (batch == null ? 1 : batch) / samplesPerSecond;
    }

    @Override
    public void training(double loss, double learningRate) {
        metrics.training(trial.trialId(), loss, learningRate);
    }

    @Override
    public void checkpoint(long step, Path dir) {
        long t0 = System.nanoTime();
        CheckpointStore.Saved saved = checkpoints.save(trial.trialId(), step, dir);
        metrics.checkpoint(saved.bytes(), Duration.ofNanos(System.nanoTime() - t0));
        events.event(new TrialEvent.CheckpointSaved(
                trial.trialId(),
                trial.attempt(),
                Instant.now(),
                saved.uri(),
                step,
                saved.stateSha256(),
                saved.bytes()));
    }

    /** Logs this step's answers and replaces the trial's samples.json with all of them. */
    @Override
    public void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {
        now.forEach(s -> LOG.infof(
                "trial %s step %d sample %d: %s -> %s (target %s)",
                trial.trialId(), step, s.questionId(), s.question(), s.answer(), s.target()));
        checkpoints.saveSamples(trial.trialId(), all);
    }

    @Override
    public StopSignal.Reason stopRequested() {
        return stop.reasonFor(trial.trialId(), trial.attempt());
    }
}
