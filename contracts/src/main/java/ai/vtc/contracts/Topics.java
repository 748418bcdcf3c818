package ai.vtc.contracts;

/**
 * Kafka topic and consumer-group names shared by every service and test (docs/architecture.md, "Kafka topics and
 * messages").
 */
public final class Topics {
    /** {@link TrialRequested}, keyed by trial id: scheduler to gpu-workers. */
    public static final String TRIALS = "trials";
    /** {@link TrialEvent}s, keyed by trial id: gpu-worker to scheduler. */
    public static final String TRIAL_EVENTS = "trial-events";
    /** {@link PredictionsReady}, keyed by trial id: gpu-worker to evaluator. */
    public static final String PREDICTIONS = "predictions";
    /** {@link EvaluationEvent}s, keyed by trial id: evaluator to scheduler. */
    public static final String EVALUATIONS = "evaluations";
    /** Records no consumer could process, with the reason in headers ({@link DeadLetters}). */
    public static final String TRIALS_DLQ = "trials.dlq";
    /** {@link TrialControl} commands (cancel), keyed by trial id: scheduler to every gpu-worker. */
    public static final String TRIAL_CONTROL = "trial-control";

    /** The consumer group that shares the {@link #TRIALS} partitions between workers. */
    public static final String GPU_WORKERS_GROUP = "gpu-workers";

    /** Header on a {@link #TRIALS_DLQ} record: why it was rejected. */
    public static final String DLQ_REASON_HEADER = "dead-letter-reason";
    /** Header on a {@link #TRIALS_DLQ} record: the topic it came from. */
    public static final String DLQ_TOPIC_HEADER = "dead-letter-topic";

    private Topics() {}
}
