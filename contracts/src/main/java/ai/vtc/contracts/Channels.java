package ai.vtc.contracts;

/**
 * SmallRye Reactive Messaging channel names, as {@code @Incoming}, {@code @Channel} and the
 * {@code mp.messaging.incoming|outgoing.<channel>.*} keys of each service's {@code application.properties} spell
 * them. A channel that reads or writes one topic is named after it; the properties bind each to its topic.
 */
public final class Channels {
    /** Scheduler in: {@link Topics#TRIAL_EVENTS}. */
    public static final String TRIAL_EVENTS = Topics.TRIAL_EVENTS;
    /** Scheduler in, evaluator out: {@link Topics#EVALUATIONS}. */
    public static final String EVALUATIONS = Topics.EVALUATIONS;
    /** Evaluator in: {@link Topics#PREDICTIONS}. */
    public static final String PREDICTIONS = Topics.PREDICTIONS;
    /** Gpu-worker in (every worker its own consumer group): {@link Topics#TRIAL_CONTROL}. */
    public static final String TRIAL_CONTROL = Topics.TRIAL_CONTROL;
    /** Evaluator out: {@link Topics#TRIALS_DLQ}, headers from {@link DeadLetters}. */
    public static final String DEAD_LETTERS = "dead-letters";

    private Channels() {}
}
