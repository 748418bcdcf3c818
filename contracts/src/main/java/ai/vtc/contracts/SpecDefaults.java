package ai.vtc.contracts;

/**
 * The values a sweep gets for what it leaves out. Resolved into every {@link TrialSpec} before its id is computed,
 * so a worker never guesses and a spec that spells a default out has the same id as one that omits it.
 *
 * <p>The one owner of the training and evaluation defaults: florence2-train's {@code TrainOptions} and {@code
 * EvalOptions} and the {@code florence2 train} / {@code evaluate} options read theirs from the constants here
 * (constants, so that command-line annotations can name them).
 */
public final class SpecDefaults {
    public static final String EVAL_SPLIT = "val";
    public static final long SEED = 0;
    public static final int STAGE = 0;
    public static final boolean SORTED = false;
    public static final int MAX_ATTEMPTS_PER_TRIAL = 3;

    /** Which parameters train: {@code pooling}, {@code language} or {@code all}. */
    public static final String TRAINABLE = "all";

    public static final int EPOCHS = 1;
    /** Examples per micro-batch. */
    public static final int BATCH_SIZE = 8;

    public static final int GRADIENT_ACCUMULATION = 1;
    public static final double LEARNING_RATE = 5.0e-5;
    public static final String OPTIMIZER = "adamw";
    public static final double WEIGHT_DECAY = 0.01;
    public static final String LR_SCHEDULE = "linear";
    public static final int WARMUP_STEPS = 0;
    public static final double MAX_GRAD_NORM = 1.0;
    /**
     * A trial checkpoints every 50 steps, so that another worker can take it over; a local {@code florence2 train}
     * run defaults to 0 (a checkpoint only when interrupted) instead.
     */
    public static final int CHECKPOINT_EVERY_STEPS = 50;

    /** LoRA rank r (the LoRA trainer's default). */
    public static final int LORA_RANK = 4;
    /** LoRA alpha: the update is scaled by alpha / r (rsLoRA: alpha / sqrt(r)). */
    public static final double LORA_ALPHA = 4.0;
    /** Dropout on the adapters' input while training. */
    public static final double LORA_DROPOUT = 0.25;
    /** Matched against the last component of each linear layer's name, in the vision tower and the language model. */
    public static final String LORA_TARGET_MODULES = "qkv proj k_proj v_proj q_proj out_proj fc1 fc2";

    public static final boolean LORA_RSLORA = false;
    /** How many fixed training examples {@code sample_every_n_steps} answers each time. */
    public static final int SAMPLE_COUNT = 4;

    /** Beam width of the evaluation; 1 is greedy. */
    public static final int NUM_BEAMS = 3;

    public static final int MAX_NEW_TOKENS = 8;
    public static final int NO_REPEAT_NGRAM_SIZE = 3;
    /** The prompt of training and evaluation, {@code {question}} replaced by the question. */
    public static final String PROMPT = "<VQA>{question}";
    /** Examples per generate call of the evaluation. */
    public static final int EVAL_BATCH_SIZE = 16;

    public static final TrainSettings TRAIN = new TrainSettings(
            TRAINABLE,
            EPOCHS,
            null,
            BATCH_SIZE,
            GRADIENT_ACCUMULATION,
            LEARNING_RATE,
            OPTIMIZER,
            WEIGHT_DECAY,
            LR_SCHEDULE,
            WARMUP_STEPS,
            MAX_GRAD_NORM,
            CHECKPOINT_EVERY_STEPS,
            null);
    public static final EvalSettings EVAL =
            new EvalSettings(NUM_BEAMS, MAX_NEW_TOKENS, NO_REPEAT_NGRAM_SIZE, PROMPT, EVAL_BATCH_SIZE);

    private SpecDefaults() {}

    /**
     * {@code given} with every null setting replaced by its default (null stays null for max_steps, the schedule, lora
     * and sample_every_n_steps; a given lora gets its own defaults).
     */
    public static TrainSettings train(TrainSettings given) {
        if (given == null) {
            return TRAIN;
        }
        return new TrainSettings(
                or(given.trainable(), TRAIN.trainable()),
                or(given.epochs(), TRAIN.epochs()),
                given.maxSteps(),
                or(given.batchSize(), TRAIN.batchSize()),
                or(given.gradientAccumulation(), TRAIN.gradientAccumulation()),
                or(given.learningRate(), TRAIN.learningRate()),
                or(given.optimizer(), TRAIN.optimizer()),
                or(given.weightDecay(), TRAIN.weightDecay()),
                or(given.lrSchedule(), TRAIN.lrSchedule()),
                or(given.warmupSteps(), TRAIN.warmupSteps()),
                or(given.maxGradNorm(), TRAIN.maxGradNorm()),
                or(given.checkpointEverySteps(), TRAIN.checkpointEverySteps()),
                given.compressionSchedule() == null
                                || given.compressionSchedule().isEmpty()
                        ? null
                        : given.compressionSchedule(),
                given.lora() == null ? null : given.lora().withDefaults(),
                given.sampleEveryNSteps());
    }

    public static EvalSettings eval(EvalSettings given) {
        return eval(given, null);
    }

    /**
     * {@code given} with every null setting replaced by its default; the prompt's default is the {@code task}'s
     * ({@code <DocVQA>{question}} for DocVQA), {@link #PROMPT} when the sweep names no task.
     */
    public static EvalSettings eval(EvalSettings given, DatasetTask task) {
        String prompt = task == null ? PROMPT : task.defaultPrompt();
        if (given == null) {
            return task == null
                    ? EVAL
                    : new EvalSettings(NUM_BEAMS, MAX_NEW_TOKENS, NO_REPEAT_NGRAM_SIZE, prompt, EVAL_BATCH_SIZE);
        }
        return new EvalSettings(
                or(given.numBeams(), EVAL.numBeams()),
                or(given.maxNewTokens(), EVAL.maxNewTokens()),
                or(given.noRepeatNgramSize(), EVAL.noRepeatNgramSize()),
                or(given.prompt(), prompt),
                or(given.batchSize(), EVAL.batchSize()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
