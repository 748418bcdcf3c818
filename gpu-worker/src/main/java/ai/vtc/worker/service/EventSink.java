package ai.vtc.worker.service;

import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialEvent;

/**
 * Where the worker reports what happens to its trials: trial events (started, progress, checkpoint saved, completed,
 * failed, cancelled), finished predictions, and records no worker can process. Every call returns only once the
 * report is durable, because a trial's record is committed after its outcome is reported (and a crash before that
 * hands the trial to another worker). Implemented on Kafka by {@code messaging.EventPublisher}.
 */
public interface EventSink {
    /** On {@code trial-events}, keyed by the event's trial id. */
    void event(TrialEvent event);

    /** On {@code predictions}, keyed by trial id, once the predictions are in object storage. */
    void predictionsReady(PredictionsReady ready);

    /** The original record to {@code trials.dlq}, with why and the topic it came from. */
    void deadLetter(String key, String value, String reason, String sourceTopic);
}
