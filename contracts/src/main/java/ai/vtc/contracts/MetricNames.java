package ai.vtc.contracts;

/**
 * Micrometer metric names and tag keys shared by the services, the Grafana dashboard and its test. Prometheus
 * renders a dotted name with underscores ({@code vqa.accuracy} is {@code vqa_accuracy}); timers gain
 * {@code _seconds_count/_sum/_max}, counters {@code _total}.
 */
public final class MetricNames {
    /** Evaluator gauge: official VQAv2 accuracy in percent, tags sweep, mode, factor, stage, sorted, answer_type. */
    public static final String VQA_ACCURACY = "vqa.accuracy";
    /** Evaluator gauge: accuracy minus that of the sweep's uncompressed baseline (same seed), in points. */
    public static final String VQA_ACCURACY_DELTA = "vqa.accuracy.delta";
    /** Evaluator gauge: visual tokens the language model keeps (1 global + pooled grid), same tags. */
    public static final String VQA_VISUAL_TOKENS = "vqa.visual.tokens";
    /** Evaluator timer: load + evaluate one trial's predictions. */
    public static final String VQA_EVALUATION_DURATION = "vqa.evaluation.duration";
    /** Evaluator counter, tag outcome = completed | failed. */
    public static final String VQA_EVALUATIONS = "vqa.evaluations";
    /**
     * Evaluator gauge, always 1: ties a trial id (tag trial) to the grid coordinates of the accuracy series, for
     * sweeps small enough that a label per trial stays cheap.
     */
    public static final String VQA_TRIAL_INFO = "vqa.trial.info";

    /** Scheduler gauge: trials per sweep and state. */
    public static final String SWEEP_TRIALS = "sweep.trials";
    /** Scheduler gauge: messages accepted but not yet acknowledged by the broker (the outbox backlog). */
    public static final String SCHEDULER_OUTBOX_PENDING = "scheduler.outbox.pending";
    /** Scheduler counter: messages the outbox relay published, tag topic. */
    public static final String SCHEDULER_PUBLISHED = "scheduler.published";
    /** Scheduler counter: trial and evaluation events received, tags type and outcome (applied, duplicate, stale, unknown). */
    public static final String SCHEDULER_EVENTS = "scheduler.events";
    /** Scheduler timer: accepting a sweep (validate, expand, store), tag outcome = accepted | rejected. */
    public static final String SCHEDULER_SUBMIT_DURATION = "scheduler.submit.duration";

    /** Dataset-service counter: ingest jobs that ended, tags kind (synthetic | folder | s3), outcome. */
    public static final String DATASETS_JOBS = "datasets.jobs";
    /** Dataset-service gauge: ingest jobs running now. */
    public static final String DATASETS_JOBS_RUNNING = "datasets.jobs.running";
    /** Dataset-service counter: images ingested. */
    public static final String DATASETS_IMAGES_INGESTED = "datasets.images.ingested";
    /** Dataset-service counter: bytes of the images ingested. */
    public static final String DATASETS_IMAGE_BYTES_INGESTED = "datasets.image.bytes.ingested";
    /** Dataset-service counter: subsets created (on request or with a synthetic set). */
    public static final String DATASETS_SUBSETS_CREATED = "datasets.subsets.created";

    /** Worker gauge: trials running on this worker (0 or 1 per device). */
    public static final String WORKER_TRIALS_RUNNING = "worker.trials.running";
    /**
     * Worker counter of trials that started running, tag outcome = completed | failed | cancelled | stopped (by
     * SIGTERM or a rebalance: another worker resumes it).
     */
    public static final String WORKER_TRIALS = "worker.trials";
    /** Worker timer: one optimizer step (forward, backward, update). */
    public static final String WORKER_STEP_DURATION = "worker.step.duration";
    /** Worker gauge: training samples per second over the last progress interval. */
    public static final String WORKER_SAMPLES_PER_SECOND = "worker.samples.per.second";
    /** Worker distribution summary: bytes of each checkpoint written. */
    public static final String WORKER_CHECKPOINT_BYTES = "worker.checkpoint.bytes";
    /** Worker timer: writing one checkpoint to object storage. */
    public static final String WORKER_CHECKPOINT_DURATION = "worker.checkpoint.duration";
    /** Worker gauge: memory in use on the device (bytes) where the engine reports it, tag device. */
    public static final String WORKER_DEVICE_MEMORY = "worker.device.memory";

    public static final String TAG_SWEEP = "sweep";
    public static final String TAG_TRIAL = "trial";
    public static final String TAG_MODE = "mode";
    public static final String TAG_FACTOR = "factor";
    public static final String TAG_STAGE = "stage";
    public static final String TAG_SORTED = "sorted";
    public static final String TAG_ANSWER_TYPE = "answer_type";
    public static final String TAG_STATE = "state";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_TYPE = "type";
    public static final String TAG_SEED = "seed";
    public static final String TAG_KIND = "kind";
    public static final String TAG_DEVICE = "device";
    /** {@link #TAG_ANSWER_TYPE} value of the overall accuracy. */
    public static final String ALL_ANSWER_TYPES = "all";

    private MetricNames() {}
}
