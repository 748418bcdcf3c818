package ai.vtc.contracts;

/**
 * Micrometer metric names and tag keys shared by the services, the Grafana dashboard and its test. Prometheus
 * renders a dotted name with underscores ({@code vqa.accuracy} is {@code vqa_accuracy}); timers gain
 * {@code _seconds_count/_sum/_max}, counters {@code _total}.
 */
public final class MetricNames {
    /**
     * Evaluator gauge: official VQAv2 accuracy in percent, tags sweep, training, mode, factor, keep, dominant,
     * image_size, stage, sorted, seed (a trial within its sweep) and answer_type.
     */
    public static final String VQA_ACCURACY = "vqa.accuracy";
    /** Evaluator gauge: lower bound of the accuracy's 95% bootstrap interval, same tags (answer_type all). */
    public static final String VQA_ACCURACY_LOWER = "vqa.accuracy.lower";
    /** Evaluator gauge: upper bound of the accuracy's 95% bootstrap interval, same tags (answer_type all). */
    public static final String VQA_ACCURACY_UPPER = "vqa.accuracy.upper";
    /**
     * Evaluator gauge: accuracy minus that of the trial's reference (the sweep's uncompressed trial of the same
     * training and seed), in points.
     */
    public static final String VQA_ACCURACY_DELTA = "vqa.accuracy.delta";
    /** Evaluator gauge: lower bound of the paired 95% interval of the difference to the reference (answer_type all). */
    public static final String VQA_ACCURACY_DELTA_LOWER = "vqa.accuracy.delta.lower";
    /** Evaluator gauge: upper bound of the paired 95% interval of the difference to the reference (answer_type all). */
    public static final String VQA_ACCURACY_DELTA_UPPER = "vqa.accuracy.delta.upper";
    /**
     * Evaluator gauge: DocVQA's ANLS x 100 of a trial on a {@link DatasetTask#DOCVQA} dataset, tags as
     * {@link #VQA_ACCURACY} (answer_type is {@code other} for every DocVQA question). Its interval and difference to the
     * reference are {@code vqa.anls.lower}, {@code .upper}, {@code .delta}, {@code .delta.lower}, {@code .delta.upper}
     * ({@link #forMetric}).
     */
    public static final String VQA_ANLS = "vqa.anls";
    /** Evaluator gauge: visual tokens the language model keeps (1 global + the grid tokens left), same tags. */
    public static final String VQA_VISUAL_TOKENS = "vqa.visual.tokens";
    /** Evaluator gauge: analytic prefill GFLOPs of one sample (vision, encoder, cross-attention keys and values). */
    public static final String VQA_PREFILL_GFLOPS = "vqa.prefill.gflops";
    /** Evaluator gauge: measured prefill latency of one evaluation batch, median, in milliseconds. */
    public static final String VQA_PREFILL_LATENCY_MS = "vqa.prefill.latency.ms";
    /** Evaluator gauge: measured latency of one cached decoder step of one batch, median, in milliseconds. */
    public static final String VQA_DECODE_STEP_MS = "vqa.decode.step.ms";
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
    /**
     * Counter of the scheduler and the evaluator: tries of a consumed record that failed on a transient fault (the
     * database or object store away) and were made again, tag channel.
     */
    public static final String EVENTS_RETRIED = "events.retried";
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
    /** Worker counter: requests of trials another worker runs under a live lease, left alone. */
    public static final String WORKER_TRIALS_LEFT_ALONE = "worker.trials.left.alone";
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
    /** Worker gauge: mean loss of the latest optimizer step of a running trial, tag trial (removed when it ends). */
    public static final String WORKER_TRIAL_LOSS = "worker.trial.loss";
    /** Worker gauge: learning rate of the latest optimizer step of a running trial, tag trial (removed when it ends). */
    public static final String WORKER_TRIAL_LEARNING_RATE = "worker.trial.learning.rate";
    /** Counter: fp16 optimizer steps skipped because a gradient overflowed (the loss scale was lowered). */
    public static final String WORKER_SKIPPED_STEPS = "worker.skipped.steps";
    /**
     * Worker counter of images whose vision features a trial took from object storage ({@code source=stored}),
     * computed and stored for the other trials ({@code computed}), or found corrupt there and computed again
     * ({@code rejected}, counted besides {@code computed}).
     */
    public static final String WORKER_VISION_FEATURES = "worker.vision.features";

    public static final String TAG_SWEEP = "sweep";
    public static final String TAG_TRIAL = "trial";
    public static final String TAG_MODE = "mode";
    public static final String TAG_FACTOR = "factor";
    public static final String TAG_STAGE = "stage";
    public static final String TAG_SORTED = "sorted";
    public static final String TAG_KEEP = "keep";
    public static final String TAG_DOMINANT = "dominant";
    public static final String TAG_IMAGE_SIZE = "image_size";
    /** {@link Training} id: {@code none} (training-free) or {@code fine_tune}. */
    public static final String TAG_TRAINING = "training";

    public static final String TAG_ANSWER_TYPE = "answer_type";
    public static final String TAG_STATE = "state";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_TYPE = "type";
    public static final String TAG_SEED = "seed";
    public static final String TAG_KIND = "kind";
    public static final String TAG_CHANNEL = "channel";
    public static final String TAG_DEVICE = "device";
    /** {@link #TAG_ANSWER_TYPE} value of the overall accuracy. */
    public static final String ALL_ANSWER_TYPES = "all";

    private MetricNames() {}

    /**
     * The name of the series of {@code accuracyName} (one of the {@code vqa.accuracy*} names) for results scored with
     * {@code metric} ({@link DatasetTask#metric()}): unchanged for VQA accuracy, {@code vqa.anls*} for ANLS, so the two
     * never share a series and dashboards of VQA sweeps are unchanged.
     */
    public static String forMetric(String accuracyName, String metric) {
        if (DatasetTask.DOCVQA.metric().equals(metric) && accuracyName.startsWith(VQA_ACCURACY)) {
            return VQA_ANLS + accuracyName.substring(VQA_ACCURACY.length());
        }
        return accuracyName;
    }
}
