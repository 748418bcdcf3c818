package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads and validates a sweep YAML (DESIGN section 8). Every problem is collected with its path, so a researcher
 * fixes a spec in one round. {@link #parse} checks what the document alone can tell; {@link #checkModel} and
 * {@link #checkSize} add the checks that need the model and a configured limit. Usable offline (the CLI's
 * {@code validate}) and by the scheduler.
 */
public final class SweepSpecs {
    public static final List<String> MODES =
            List.of(Compression.NONE, Compression.AVG_POOL, Compression.LEARNABLE_POOL);
    public static final List<String> TRAINABLE = List.of("pooling", "language", "all");
    public static final List<String> OPTIMIZERS = List.of("adamw", "soap");
    public static final List<String> LR_SCHEDULES = List.of("linear", "cosine", "constant");

    private static final List<String> TOP_KEYS =
            List.of("name", "model", "dataset", "grid", "seeds", "train", "eval", "limits");
    private static final List<String> DATASET_KEYS = List.of("name", "subset", "eval_split");
    private static final List<String> GRID_KEYS = List.of("mode", "factor", "stage", "sorted");
    private static final List<String> TRAIN_KEYS = List.of(
            "trainable",
            "epochs",
            "max_steps",
            "batch_size",
            "gradient_accumulation",
            "learning_rate",
            "optimizer",
            "weight_decay",
            "lr_schedule",
            "warmup_steps",
            "max_grad_norm",
            "checkpoint_every_steps",
            "compression_schedule");
    private static final List<String> PHASE_KEYS = List.of("until_step", "stage", "factor");
    private static final List<String> EVAL_KEYS =
            List.of("num_beams", "max_new_tokens", "no_repeat_ngram_size", "prompt", "batch_size");
    private static final List<String> LIMIT_KEYS = List.of("max_failed_trials", "max_attempts_per_trial");

    private SweepSpecs() {}

    /**
     * A read spec with its problems. When {@link #problems} is empty, {@link #spec} is complete with defaults
     * resolved; otherwise it holds what could be read (wrong values left out) and must not be expanded.
     */
    public record Parsed(SweepSpec spec, JsonNode tree, List<SpecProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }

        /** The spec, or an {@link InvalidSweepException} with every problem. */
        public SweepSpec orThrow() {
            if (!valid()) {
                throw new InvalidSweepException(problems);
            }
            return spec;
        }
    }

    /** Parses and validates what the document alone can tell; never throws for problems of the spec. */
    public static Parsed parse(String yaml, SafeYaml.Limits limits) {
        List<SpecProblem> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = new SafeYaml(limits).read(yaml, problems);
        } catch (InvalidSweepException e) {
            problems.addAll(e.problems());
            return new Parsed(null, null, problems);
        }
        SweepSpec spec = read(tree, problems);
        return new Parsed(spec, tree, problems);
    }

    public static Parsed parse(String yaml) {
        return parse(yaml, SafeYaml.Limits.DEFAULT);
    }

    private static SweepSpec read(JsonNode tree, List<SpecProblem> problems) {
        SpecFields top = SpecFields.of(tree, "", problems, TOP_KEYS);
        if (top == null) {
            return null;
        }
        String name = top.name("name", true);
        String model = top.name("model", true);
        DatasetRef dataset = dataset(top, problems);
        SweepSpec.Grid grid = grid(top, problems);
        List<Long> seeds = seeds(top, problems);
        TrainSettings train = train(top, problems);
        EvalSettings eval = eval(top, problems);
        SweepSpec.Limits limits = limits(top, problems);
        return new SweepSpec(
                name,
                model,
                dataset,
                grid,
                seeds,
                SpecDefaults.train(train),
                SpecDefaults.eval(eval),
                limits == null ? new SweepSpec.Limits(null, SpecDefaults.MAX_ATTEMPTS_PER_TRIAL) : limits);
    }

    private static DatasetRef dataset(SpecFields top, List<SpecProblem> problems) {
        JsonNode node = top.get("dataset", true);
        SpecFields fields = node == null ? null : SpecFields.of(node, "dataset", problems, DATASET_KEYS);
        if (fields == null) {
            return null;
        }
        String name = fields.name("name", true);
        String subset = fields.name("subset", true);
        String split = fields.name("eval_split", false);
        return new DatasetRef(name, subset, split == null ? SpecDefaults.EVAL_SPLIT : split, null);
    }

    private static SweepSpec.Grid grid(SpecFields top, List<SpecProblem> problems) {
        JsonNode node = top.get("grid", true);
        SpecFields fields = node == null ? null : SpecFields.of(node, "grid", problems, GRID_KEYS);
        if (fields == null) {
            return null;
        }
        List<String> modes = distinct(SpecFields.entries(fields.axis("mode", true), "grid.mode", (v, p) -> {
            String text = SpecFields.text(v, p, problems);
            return text == null ? null : SpecFields.oneOf(text, p, MODES, problems);
        }));
        boolean pooling = modes.stream().anyMatch(m -> !Compression.NONE.equals(m));
        List<Integer> factors = distinct(SpecFields.entries(
                fields.axis("factor", pooling), "grid.factor", (v, p) -> SpecFields.integer(v, p, 2, problems)));
        JsonNode stageAxis = fields.axis("stage", false);
        List<Integer> stages = stageAxis == null
                ? List.of(SpecDefaults.STAGE)
                : distinct(
                        SpecFields.entries(stageAxis, "grid.stage", (v, p) -> SpecFields.integer(v, p, 0, problems)));
        JsonNode sortedAxis = fields.axis("sorted", false);
        List<Boolean> sorted = sortedAxis == null
                ? List.of(SpecDefaults.SORTED)
                : distinct(SpecFields.entries(sortedAxis, "grid.sorted", (v, p) -> SpecFields.bool(v, p, problems)));
        return new SweepSpec.Grid(modes, factors, stages, sorted);
    }

    private static List<Long> seeds(SpecFields top, List<SpecProblem> problems) {
        JsonNode axis = top.axis("seeds", false);
        if (axis == null) {
            return top.get("seeds", false) == null ? List.of(SpecDefaults.SEED) : List.of();
        }
        return distinct(SpecFields.entries(axis, "seeds", (v, p) -> SpecFields.longInteger(v, p, 0, problems)));
    }

    private static TrainSettings train(SpecFields top, List<SpecProblem> problems) {
        JsonNode node = top.get("train", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "train", problems, TRAIN_KEYS);
        if (f == null) {
            return null;
        }
        return new TrainSettings(
                f.oneOf("trainable", false, TRAINABLE),
                f.integer("epochs", false, 1),
                f.integer("max_steps", false, 1),
                f.integer("batch_size", false, 1),
                f.integer("gradient_accumulation", false, 1),
                f.number("learning_rate", false, 0, true),
                f.oneOf("optimizer", false, OPTIMIZERS),
                f.number("weight_decay", false, 0, false),
                f.oneOf("lr_schedule", false, LR_SCHEDULES),
                f.integer("warmup_steps", false, 0),
                f.number("max_grad_norm", false, 0, false),
                f.integer("checkpoint_every_steps", false, 1),
                schedule(f, problems));
    }

    private static List<StagedCompression> schedule(SpecFields train, List<SpecProblem> problems) {
        JsonNode list = train.list("compression_schedule", false);
        if (list == null) {
            return null;
        }
        List<StagedCompression> phases = new ArrayList<>();
        int previousUntil = 0;
        for (int i = 0; i < list.size(); i++) {
            String path = "train.compression_schedule[" + i + "]";
            SpecFields phase = SpecFields.of(list.get(i), path, problems, PHASE_KEYS);
            if (phase == null) {
                continue;
            }
            Integer until = phase.integer("until_step", true, 1);
            Integer stage = phase.integer("stage", true, 0);
            Integer factor = phase.integer("factor", true, 2);
            if (until != null && until <= previousUntil) {
                problems.add(new SpecProblem(
                        phase.path("until_step"),
                        "must be greater than the previous phase's until_step (" + previousUntil + ")"));
            }
            if (until != null) {
                previousUntil = Math.max(previousUntil, until);
            }
            if (until != null && stage != null && factor != null) {
                phases.add(new StagedCompression(until, stage, factor));
            }
        }
        return phases;
    }

    private static EvalSettings eval(SpecFields top, List<SpecProblem> problems) {
        JsonNode node = top.get("eval", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "eval", problems, EVAL_KEYS);
        if (f == null) {
            return null;
        }
        Integer beams = f.integer("num_beams", false, 1);
        Integer maxNewTokens = f.integer("max_new_tokens", false, 1);
        Integer noRepeat = f.integer("no_repeat_ngram_size", false, 0);
        String prompt = f.string("prompt", false);
        if (prompt != null && !prompt.contains("{question}")) {
            problems.add(new SpecProblem("eval.prompt", "must contain {question}, where the question goes"));
            prompt = null;
        }
        return new EvalSettings(beams, maxNewTokens, noRepeat, prompt, f.integer("batch_size", false, 1));
    }

    private static SweepSpec.Limits limits(SpecFields top, List<SpecProblem> problems) {
        JsonNode node = top.get("limits", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "limits", problems, LIMIT_KEYS);
        if (f == null) {
            return null;
        }
        Integer maxFailed = f.integer("max_failed_trials", false, 1);
        Integer maxAttempts = f.integer("max_attempts_per_trial", false, 1);
        return new SweepSpec.Limits(maxFailed, maxAttempts == null ? SpecDefaults.MAX_ATTEMPTS_PER_TRIAL : maxAttempts);
    }

    /**
     * The checks that need the model: every stage within 0..encoder layers, every factor no larger than the grid
     * tokens (when known). Adds to {@code problems}.
     */
    public static void checkModel(Parsed parsed, ModelFacts model, List<SpecProblem> problems) {
        if (parsed.tree() == null) {
            return;
        }
        JsonNode grid = parsed.tree().path("grid");
        forEachInt(grid.path("stage"), "grid.stage", (stage, path) -> checkStage(stage, path, model, problems));
        forEachInt(grid.path("factor"), "grid.factor", (factor, path) -> checkFactor(factor, path, model, problems));
        JsonNode schedule = parsed.tree().path("train").path("compression_schedule");
        for (int i = 0; schedule.isArray() && i < schedule.size(); i++) {
            String path = "train.compression_schedule[" + i + "]";
            JsonNode stage = schedule.get(i).path("stage");
            if (stage.isIntegralNumber() && stage.canConvertToInt()) {
                checkStage(stage.intValue(), path + ".stage", model, problems);
            }
            JsonNode factor = schedule.get(i).path("factor");
            if (factor.isIntegralNumber() && factor.canConvertToInt()) {
                checkFactor(factor.intValue(), path + ".factor", model, problems);
            }
        }
    }

    private static void checkStage(int stage, String path, ModelFacts model, List<SpecProblem> problems) {
        if (stage > model.encoderLayers()) {
            problems.add(new SpecProblem(
                    path,
                    "stage " + stage + " is beyond the model's " + model.encoderLayers()
                            + " encoder layers (allowed: 0 to " + model.encoderLayers() + ")"));
        }
    }

    private static void checkFactor(int factor, String path, ModelFacts model, List<SpecProblem> problems) {
        if (model.gridTokens() != null && factor > model.gridTokens()) {
            problems.add(new SpecProblem(
                    path, "factor " + factor + " is larger than the model's " + model.gridTokens() + " grid tokens"));
        }
    }

    /** Adds a problem when the spec expands to more than {@code maxTrials} trials. */
    public static void checkSize(Parsed parsed, int maxTrials, List<SpecProblem> problems) {
        if (parsed.spec() == null
                || parsed.spec().grid() == null
                || parsed.spec().seeds() == null) {
            return;
        }
        long trials = SweepExpansion.count(parsed.spec());
        if (trials > maxTrials) {
            problems.add(new SpecProblem(
                    "grid", "expands to " + trials + " trials (grid x seeds); at most " + maxTrials + " are allowed"));
        }
    }

    private interface IntCheck {
        void check(int value, String path);
    }

    private static void forEachInt(JsonNode list, String path, IntCheck check) {
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            JsonNode value = list.get(i);
            if (value.isIntegralNumber() && value.canConvertToInt()) {
                check.check(value.intValue(), path + "[" + i + "]");
            }
        }
    }

    private static <T> List<T> distinct(List<T> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
