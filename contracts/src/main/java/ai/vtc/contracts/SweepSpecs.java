package ai.vtc.contracts;

import ai.vtc.contracts.CompressionMethod.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads and validates a sweep YAML (docs/architecture.md, "Sweep YAML"). Every problem is collected with its path, so a
 * researcher fixes a spec in one round. {@link #parse} checks what the document alone can tell; {@link #checkModel} and
 * {@link #checkSize} add the checks that need the model and a configured limit. Usable offline (the CLI's
 * {@code validate}) and by the scheduler.
 */
public final class SweepSpecs {
    public static final List<String> MODES = CompressionMethod.ids();
    public static final List<String> TRAINABLE = List.of("pooling", "language", "all");
    public static final List<String> OPTIMIZERS = List.of("adamw", "soap");
    public static final List<String> LR_SCHEDULES = List.of("linear", "cosine", "constant");

    private static final List<String> TOP_KEYS =
            List.of("name", "model", "dataset", "grid", "seeds", "train", "eval", "limits");
    private static final List<String> DATASET_KEYS = List.of("name", "subset", "eval_split", "eval_subset", "task");
    private static final List<String> GRID_KEYS =
            List.of("mode", "factor", "stage", "sorted", "keep", "dominant", "image_size", "training");
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
            "compression_schedule",
            "lora",
            "sample_every_n_steps");
    private static final List<String> LORA_KEYS = List.of("rank", "alpha", "dropout", "target_modules", "rslora");
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

    /**
     * Parses and validates a document as it arrived, bytes that must be UTF-8: the scheduler's {@code POST /sweeps}
     * and {@code sweep validate} both start here, so the same file gets the same problems with the same paths from
     * either. Bytes that are not UTF-8 are one problem at the root naming the first bad byte, never replaced.
     */
    public static Parsed parse(byte[] document, SafeYaml.Limits limits, SpecBounds bounds) {
        String yaml;
        try {
            yaml = Utf8.decode(document);
        } catch (InvalidSweepException e) {
            return new Parsed(null, null, e.problems());
        }
        return parse(yaml, limits, bounds);
    }

    /** Parses and validates what the document alone can tell; never throws for problems of the spec. */
    public static Parsed parse(String yaml, SafeYaml.Limits limits, SpecBounds bounds) {
        List<SpecProblem> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = new SafeYaml(limits).read(yaml, problems);
        } catch (InvalidSweepException e) {
            problems.addAll(e.problems());
            return new Parsed(null, null, problems);
        }
        SweepSpec spec = read(tree, bounds, problems);
        return new Parsed(spec, tree, problems);
    }

    public static Parsed parse(String yaml, SafeYaml.Limits limits) {
        return parse(yaml, limits, SpecBounds.DEFAULT);
    }

    public static Parsed parse(String yaml) {
        return parse(yaml, SafeYaml.Limits.DEFAULT);
    }

    private static SweepSpec read(JsonNode tree, SpecBounds bounds, List<SpecProblem> problems) {
        SpecFields top = SpecFields.of(tree, "", problems, TOP_KEYS);
        if (top == null) {
            return null;
        }
        String name = top.name("name", true);
        String model = top.name("model", true);
        DatasetRef dataset = dataset(top, problems);
        boolean trainingFree = isNone(top.get("train", false));
        List<SweepSpec.Grid> grid = grid(top, trainingFree, problems);
        List<Long> seeds = seeds(top, problems);
        TrainSettings train = trainingFree ? null : train(top, bounds, problems);
        checkTrainingUsed(top, trainingFree, grid, problems);
        EvalSettings eval = eval(top, bounds, problems);
        SweepSpec.Limits limits = limits(top, problems);
        return new SweepSpec(
                name,
                model,
                dataset,
                grid,
                seeds,
                trainingFree ? null : SpecDefaults.train(train),
                SpecDefaults.eval(eval, dataset == null ? null : dataset.task()),
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
        String evalSubset = fields.name("eval_subset", false);
        String task = fields.oneOf("task", false, DatasetTask.ids());
        return new DatasetRef(
                name,
                subset,
                split == null ? SpecDefaults.EVAL_SPLIT : split,
                null,
                evalSubset,
                null,
                task == null ? null : DatasetTask.fromId(task));
    }

    private static boolean isNone(JsonNode train) {
        return train != null && train.isTextual() && Training.NONE.id().equals(train.textValue());
    }

    /**
     * {@code train:} settings apply to the fine-tuned trials; a sweep whose every block is training-free must not give
     * them (they would silently do nothing), and a block cannot fine-tune when the sweep says {@code train: none}.
     */
    private static void checkTrainingUsed(
            SpecFields top, boolean trainingFree, List<SweepSpec.Grid> grid, List<SpecProblem> problems) {
        JsonNode train = top.get("train", false);
        if (train == null || trainingFree || grid == null || grid.isEmpty()) {
            return;
        }
        boolean fineTunes =
                grid.stream().anyMatch(b -> b.training() == null || b.training().contains(Training.FINE_TUNE.id()));
        if (!fineTunes) {
            problems.add(new SpecProblem(
                    "train",
                    "applies to fine-tuned trials, and every trial of this sweep is training-free (training: [none]);"
                            + " leave train out or write train: none"));
        }
    }

    private static List<SweepSpec.Grid> grid(SpecFields top, boolean trainingFree, List<SpecProblem> problems) {
        JsonNode node = top.get("grid", true);
        if (node == null) {
            return null;
        }
        List<SweepSpec.Grid> blocks = new ArrayList<>();
        for (Block block : blocks(node, problems)) {
            SweepSpec.Grid grid = block(block, trainingFree, problems);
            if (grid != null) {
                blocks.add(grid);
            }
        }
        return blocks;
    }

    /** A grid block and its path: {@code grid} for a mapping, {@code grid[i]} for the entries of a list. */
    private record Block(JsonNode node, String path) {}

    private static List<Block> blocks(JsonNode grid, List<SpecProblem> problems) {
        if (!grid.isArray()) {
            return List.of(new Block(grid, "grid"));
        }
        if (grid.isEmpty()) {
            problems.add(new SpecProblem("grid", "must not be empty"));
        }
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < grid.size(); i++) {
            out.add(new Block(grid.get(i), "grid[" + i + "]"));
        }
        return out;
    }

    private static SweepSpec.Grid block(Block block, boolean trainingFree, List<SpecProblem> problems) {
        SpecFields fields = SpecFields.of(block.node(), block.path(), problems, GRID_KEYS);
        if (fields == null) {
            return null;
        }
        String path = block.path();
        List<String> modes = distinct(SpecFields.entries(fields.axis("mode", true), path + ".mode", (v, p) -> {
            String text = SpecFields.text(v, p, problems);
            return text == null ? null : SpecFields.oneOf(text, p, MODES, problems);
        }));
        List<CompressionMethod> methods =
                modes.stream().map(CompressionMethod::byId).toList();
        if (modes.size() < fields.node("mode").size()) {
            methods = List.of(); // a mode was refused: which axes apply cannot be told
        }
        List<Integer> factors = intAxis(fields, methods, Parameter.FACTOR, 2, problems);
        List<Integer> keeps = intAxis(fields, methods, Parameter.KEEP, 1, problems);
        List<Integer> dominants = intAxis(fields, methods, Parameter.DOMINANT, 1, problems);
        List<Integer> imageSizes = intAxis(fields, methods, Parameter.IMAGE_SIZE, ModelFacts.PATCH, problems);
        List<Integer> stages = intAxis(fields, methods, Parameter.STAGE, 0, problems);
        List<Boolean> sorted = null;
        JsonNode sortedAxis = applicableAxis(fields, methods, Parameter.SORTED, problems);
        if (sortedAxis != null) {
            sorted = distinct(
                    SpecFields.entries(sortedAxis, fields.path("sorted"), (v, p) -> SpecFields.bool(v, p, problems)));
        }
        checkImageSizes(fields, problems);
        checkAttentionStages(fields, methods, problems);
        if (methods.contains(CompressionMethod.DOMINANT_MERGE)) {
            checkDominant(fields, problems);
        }
        return new SweepSpec.Grid(
                modes, factors, stages, sorted, keeps, dominants, imageSizes, training(fields, trainingFree, problems));
    }

    /** The block's training axis: none and/or fine_tune; absent: fine_tune, or none under {@code train: none}. */
    private static List<String> training(SpecFields fields, boolean trainingFree, List<SpecProblem> problems) {
        JsonNode axis = fields.axis("training", false);
        if (axis == null) {
            return List.of(trainingFree ? Training.NONE.id() : Training.FINE_TUNE.id());
        }
        return distinct(SpecFields.entries(axis, fields.path("training"), (v, p) -> {
            String text = SpecFields.text(v, p, problems);
            String id = text == null ? null : SpecFields.oneOf(text, p, Training.ids(), problems);
            if (trainingFree && Training.FINE_TUNE.id().equals(id)) {
                problems.add(new SpecProblem(
                        p, "fine_tune needs train settings, and the sweep says train: none (give train a mapping)"));
                return null;
            }
            return id;
        }));
    }

    /**
     * The axis for {@code parameter} when it applies to a mode of the block: a problem when it applies to none of
     * them, or when it is absent and a mode requires it. Null when absent or refused.
     */
    private static JsonNode applicableAxis(
            SpecFields fields, List<CompressionMethod> methods, Parameter parameter, List<SpecProblem> problems) {
        String key = parameter.key();
        boolean present = fields.get(key, false) != null;
        boolean applies = methods.stream().anyMatch(m -> m.takes(parameter));
        if (methods.isEmpty()) {
            return present ? fields.axis(key, false) : null;
        }
        if (present && !applies) {
            problems.add(new SpecProblem(
                    fields.path(key),
                    "does not apply to " + join(methods) + " (" + key + " applies to " + join(parameter.methods())
                            + ")"));
            return null;
        }
        List<CompressionMethod> requiring =
                methods.stream().filter(m -> m.requires(parameter)).toList();
        if (!present && !requiring.isEmpty()) {
            problems.add(new SpecProblem(fields.path(key), "is required for " + join(requiring)));
            return null;
        }
        return present ? fields.axis(key, false) : null;
    }

    private static List<Integer> intAxis(
            SpecFields fields,
            List<CompressionMethod> methods,
            Parameter parameter,
            int min,
            List<SpecProblem> problems) {
        JsonNode axis = applicableAxis(fields, methods, parameter, problems);
        if (axis == null) {
            return null;
        }
        return distinct(SpecFields.entries(
                axis, fields.path(parameter.key()), (v, p) -> SpecFields.integer(v, p, min, problems)));
    }

    private static void checkImageSizes(SpecFields fields, List<SpecProblem> problems) {
        forEachInt(fields.node("image_size"), fields.path("image_size"), (size, path) -> {
            if (size >= ModelFacts.PATCH && size % ModelFacts.PATCH != 0) {
                problems.add(new SpecProblem(
                        path,
                        "must be a multiple of " + ModelFacts.PATCH + " (the vision tower's stride), not " + size));
            }
        });
    }

    /** Methods that read the attention of layer K-1 need K >= 1; the default stage 0 does not do for them. */
    private static void checkAttentionStages(
            SpecFields fields, List<CompressionMethod> methods, List<SpecProblem> problems) {
        List<CompressionMethod> attention =
                methods.stream().filter(CompressionMethod::needsAttention).toList();
        if (attention.isEmpty()) {
            return;
        }
        String why = " (it reads the attention of encoder layer K-1, so K >= 1)";
        if (fields.get("stage", false) == null) {
            problems.add(new SpecProblem(
                    fields.path("stage"),
                    "is required for " + join(attention) + why.replace("it reads", "they read")
                            + "; the default stage 0 does not apply"));
            return;
        }
        forEachInt(fields.node("stage"), fields.path("stage"), (stage, path) -> {
            if (stage == 0) {
                problems.add(new SpecProblem(path, "stage 0 does not apply to " + join(attention) + why));
            }
        });
    }

    /** dominant_merge keeps at least one dominant and one contextual token: keep >= 2 and 1 <= dominant < keep. */
    private static void checkDominant(SpecFields fields, List<SpecProblem> problems) {
        List<Integer> keeps = new ArrayList<>();
        forEachInt(fields.node("keep"), fields.path("keep"), (keep, path) -> {
            if (keep == 1) {
                problems.add(new SpecProblem(
                        path, "dominant_merge needs keep >= 2 (at least one dominant and one merged token), not 1"));
            } else if (keep > 1) {
                keeps.add(keep);
            }
        });
        forEachInt(fields.node("dominant"), fields.path("dominant"), (dominant, path) -> {
            for (int keep : keeps) {
                if (dominant >= keep) {
                    problems.add(new SpecProblem(
                            path,
                            "must be below every keep of the block (dominant " + dominant + " >= keep " + keep
                                    + "): the other keep - dominant tokens are merged context"));
                    return;
                }
            }
        });
    }

    private static String join(List<CompressionMethod> methods) {
        return String.join(", ", methods.stream().map(CompressionMethod::id).toList());
    }

    private static List<Long> seeds(SpecFields top, List<SpecProblem> problems) {
        JsonNode axis = top.axis("seeds", false);
        if (axis == null) {
            return top.get("seeds", false) == null ? List.of(SpecDefaults.SEED) : List.of();
        }
        return distinct(SpecFields.entries(axis, "seeds", (v, p) -> SpecFields.longInteger(v, p, 0, problems)));
    }

    private static TrainSettings train(SpecFields top, SpecBounds bounds, List<SpecProblem> problems) {
        JsonNode node = top.get("train", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "train", problems, TRAIN_KEYS);
        if (f == null) {
            return null;
        }
        if (f.get("lora", false) != null && f.get("trainable", false) != null) {
            problems.add(new SpecProblem(
                    f.path("trainable"),
                    "does not apply with train.lora (LoRA trains its adapters, and the pooling weight of"
                            + " learnable_pool trials)"));
        }
        return new TrainSettings(
                f.oneOf("trainable", false, TRAINABLE),
                f.integer("epochs", false, 1, bounds.maxEpochs()),
                f.integer("max_steps", false, 1, bounds.maxSteps()),
                f.integer("batch_size", false, 1, bounds.maxBatchSize()),
                f.integer("gradient_accumulation", false, 1),
                f.number("learning_rate", false, 0, true),
                f.oneOf("optimizer", false, OPTIMIZERS),
                f.number("weight_decay", false, 0, false),
                f.oneOf("lr_schedule", false, LR_SCHEDULES),
                f.integer("warmup_steps", false, 0),
                f.number("max_grad_norm", false, 0, false),
                f.integer("checkpoint_every_steps", false, 1),
                schedule(f, problems),
                lora(f, problems),
                f.integer("sample_every_n_steps", false, 1));
    }

    /** {@code train.lora}: a mapping of LoRA settings ({@code {}} for the defaults); null when absent. */
    private static LoraSettings lora(SpecFields train, List<SpecProblem> problems) {
        JsonNode node = train.get("lora", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "train.lora", problems, LORA_KEYS);
        if (f == null) {
            return null;
        }
        Double dropout = f.number("dropout", false, 0, false);
        if (dropout != null && dropout >= 1) {
            problems.add(new SpecProblem(f.path("dropout"), "must be less than 1, not " + dropout));
            dropout = null;
        }
        JsonNode rslora = f.get("rslora", false);
        return new LoraSettings(
                f.integer("rank", false, 1),
                f.number("alpha", false, 0, true),
                dropout,
                targetModules(f, problems),
                rslora == null ? null : SpecFields.bool(rslora, f.path("rslora"), problems));
    }

    /** A list of names, or one string of names separated by spaces (the LoRA trainer's spelling). */
    private static List<String> targetModules(SpecFields lora, List<SpecProblem> problems) {
        JsonNode value = lora.get("target_modules", false);
        if (value == null) {
            return null;
        }
        String path = lora.path("target_modules");
        List<String> names = new ArrayList<>();
        if (value.isTextual()) {
            for (String name : value.textValue().trim().split("\\s+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        } else if (value.isArray()) {
            names.addAll(SpecFields.entries(value, path, (v, p) -> SpecFields.text(v, p, problems)));
        } else {
            problems.add(new SpecProblem(path, "must be a list of module names, not " + SpecFields.describe(value)));
            return null;
        }
        if (names.isEmpty()) {
            problems.add(new SpecProblem(path, "must name at least one module"));
            return null;
        }
        List<String> unknown = names.stream()
                .filter(n -> !LoraSettings.LINEAR_MODULES.contains(n))
                .toList();
        if (!unknown.isEmpty()) {
            problems.add(new SpecProblem(
                    path,
                    unknown + " match no linear layer of Florence-2; its linear layers end in "
                            + String.join(", ", LoraSettings.LINEAR_MODULES)));
            return null;
        }
        return List.copyOf(new LinkedHashSet<>(names));
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

    private static EvalSettings eval(SpecFields top, SpecBounds bounds, List<SpecProblem> problems) {
        JsonNode node = top.get("eval", false);
        SpecFields f = node == null ? null : SpecFields.of(node, "eval", problems, EVAL_KEYS);
        if (f == null) {
            return null;
        }
        Integer beams = f.integer("num_beams", false, 1, bounds.maxBeams());
        Integer maxNewTokens = f.integer("max_new_tokens", false, 1, bounds.maxNewTokens());
        Integer noRepeat = f.integer("no_repeat_ngram_size", false, 0);
        String prompt = f.string("prompt", false);
        if (prompt != null && prompt.length() > bounds.maxPromptChars()) {
            problems.add(new SpecProblem(
                    "eval.prompt",
                    "has " + prompt.length() + " characters; at most " + bounds.maxPromptChars() + " are allowed"));
            prompt = null;
        } else if (prompt != null && !prompt.contains("{question}")) {
            problems.add(new SpecProblem("eval.prompt", "must contain {question}, where the question goes"));
            prompt = null;
        }
        return new EvalSettings(
                beams, maxNewTokens, noRepeat, prompt, f.integer("batch_size", false, 1, bounds.maxBatchSize()));
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
     * The checks that need the model: every stage within 0..encoder layers; budgets the model can take (a 1D pooling
     * factor no larger than the grid tokens, a pool2d kernel no larger than the grid's rows and columns, keep below the
     * grid tokens, an image size the position embedding reaches), where the grid is known. Adds to {@code problems}.
     */
    public static void checkModel(Parsed parsed, ModelFacts model, List<SpecProblem> problems) {
        if (parsed.tree() == null || parsed.tree().path("grid").isMissingNode()) {
            return;
        }
        for (Block block : blocks(parsed.tree().path("grid"), new ArrayList<>())) {
            checkBlock(block, model, problems);
        }
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

    private static void checkBlock(Block block, ModelFacts model, List<SpecProblem> problems) {
        JsonNode node = block.node();
        String path = block.path();
        List<CompressionMethod> methods = new ArrayList<>();
        node.path("mode").forEach(m -> {
            CompressionMethod method = CompressionMethod.byId(m.asText());
            if (method != null) {
                methods.add(method);
            }
        });
        boolean pools1d =
                methods.contains(CompressionMethod.AVG_POOL) || methods.contains(CompressionMethod.LEARNABLE_POOL);
        boolean pools2d = methods.contains(CompressionMethod.POOL2D);
        forEachInt(node.path("stage"), path + ".stage", (stage, p) -> checkStage(stage, p, model, problems));
        forEachInt(node.path("factor"), path + ".factor", (factor, p) -> {
            if (pools1d) {
                checkFactor(factor, p, model, problems);
            }
            if (pools2d && model.gridRows() != null && (factor > model.gridRows() || factor > model.gridColumns())) {
                problems.add(new SpecProblem(
                        p,
                        "pool2d kernel " + factor + " is larger than the model's " + model.gridRows() + " x "
                                + model.gridColumns() + " grid"));
            }
        });
        if (methods.stream().anyMatch(CompressionMethod::selects)) {
            forEachInt(node.path("keep"), path + ".keep", (keep, p) -> {
                Integer n = model.gridTokens();
                if (n != null && keep >= n) {
                    problems.add(new SpecProblem(
                            p,
                            "keep " + keep + " must be below the model's " + n
                                    + " grid tokens (keeping all of them is no compression)"));
                }
            });
        }
        if (methods.contains(CompressionMethod.DOWNSAMPLE)) {
            forEachInt(node.path("image_size"), path + ".image_size", (size, p) -> {
                int side = model.featureSide(size);
                if (model.maxPositions() != null && side > model.maxPositions()) {
                    problems.add(new SpecProblem(
                            p,
                            "image_size " + size + " gives a " + side + " x " + side
                                    + " grid, beyond the model's position embedding (" + model.maxPositions()
                                    + " rows and columns)"));
                } else if (side < 1) {
                    problems.add(new SpecProblem(p, "image_size " + size + " leaves no grid token for this model"));
                }
            });
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
