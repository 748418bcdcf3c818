package ai.vtc.contracts;

/**
 * The values a sweep gets for what it leaves out. Resolved into every {@link TrialSpec} before its id is computed,
 * so a worker never guesses and a spec that spells a default out has the same id as one that omits it.
 */
public final class SpecDefaults {
    public static final String EVAL_SPLIT = "val";
    public static final long SEED = 0;
    public static final int STAGE = 0;
    public static final boolean SORTED = false;
    public static final int MAX_ATTEMPTS_PER_TRIAL = 3;

    public static final TrainSettings TRAIN =
            new TrainSettings("all", 1, null, 8, 1, 5.0e-5, "adamw", 0.01, "linear", 0, 1.0, 50, null);
    public static final EvalSettings EVAL = new EvalSettings(3, 8, 3, "<VQA>{question}", 16);

    private SpecDefaults() {}

    /** {@code given} with every null setting replaced by its default (null stays null for max_steps and the schedule). */
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
                        : given.compressionSchedule());
    }

    public static EvalSettings eval(EvalSettings given) {
        if (given == null) {
            return EVAL;
        }
        return new EvalSettings(
                or(given.numBeams(), EVAL.numBeams()),
                or(given.maxNewTokens(), EVAL.maxNewTokens()),
                or(given.noRepeatNgramSize(), EVAL.noRepeatNgramSize()),
                or(given.prompt(), EVAL.prompt()),
                or(given.batchSize(), EVAL.batchSize()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
