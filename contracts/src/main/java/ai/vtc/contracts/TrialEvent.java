package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * What a worker reports about a trial, on {@link Topics#TRIAL_EVENTS} keyed by trial id. The JSON carries a
 * {@code type} field naming the event. Every event has the attempt it belongs to and when it happened, so a
 * consumer can drop duplicates and events of an older attempt.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrialEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = TrialEvent.Progress.class, name = "progress"),
    @JsonSubTypes.Type(value = TrialEvent.CheckpointSaved.class, name = "checkpoint_saved"),
    @JsonSubTypes.Type(value = TrialEvent.Completed.class, name = "completed"),
    @JsonSubTypes.Type(value = TrialEvent.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = TrialEvent.Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = TrialEvent.Heartbeat.class, name = "heartbeat")
})
public sealed interface TrialEvent {
    String trialId();

    int attempt();

    Instant at();

    /** The worker took the trial; {@code resumedFromStep} is 0 for a fresh start. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Started(String trialId, int attempt, Instant at, String workerId, String device, long resumedFromStep)
            implements TrialEvent {}

    /**
     * The worker still runs the trial: sent every {@code worker.heartbeat-interval} from start to end, whatever the
     * trial is doing (loading, training, evaluating), so the scheduler can tell a live trial from one whose worker
     * died (its lease, {@code scheduler.lease.timeout}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Heartbeat(String trialId, int attempt, Instant at, String workerId) implements TrialEvent {}

    /** Training or inference progress, a few seconds apart. {@code phase} is {@code train} or {@code eval}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Progress(
            String trialId,
            int attempt,
            Instant at,
            String phase,
            long step,
            long totalSteps,
            Double loss,
            double samplesPerSecond,
            double etaSeconds)
            implements TrialEvent {}

    /** A checkpoint was written completely; {@code sha256} is that of its {@code state.json} manifest. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckpointSaved(String trialId, int attempt, Instant at, String uri, long step, String sha256, long bytes)
            implements TrialEvent {}

    /**
     * Predictions and {@code _DONE} are in object storage; {@code cost} is what the trial's setting costs (absent in
     * messages from before it was measured).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Completed(
            String trialId,
            int attempt,
            Instant at,
            String predictionsUri,
            Double finalLoss,
            long steps,
            double seconds,
            TrialCost cost)
            implements TrialEvent {

        /** Without a cost, as the event was before cost was measured. */
        public Completed(
                String trialId,
                int attempt,
                Instant at,
                String predictionsUri,
                Double finalLoss,
                long steps,
                double seconds) {
            this(trialId, attempt, at, predictionsUri, finalLoss, steps, seconds, null);
        }
    }

    /** The trial failed; {@code retryable} says whether another attempt can succeed. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failed(String trialId, int attempt, Instant at, String reason, boolean retryable) implements TrialEvent {}

    /** The worker stopped the trial because the scheduler cancelled it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cancelled(String trialId, int attempt, Instant at, long step) implements TrialEvent {}
}
