package ai.vtc.florence2.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.RecordedCompression;
import ai.vtc.florence2.io.ModelFolder;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.SafeTensorsWriter;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Tensors;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A training checkpoint folder {@code step-<n>/}. A full fine-tuning checkpoint is also a Hugging Face model folder that
 * the model library (and {@code florence2 generate --model}) loads as it is: {@code config.json} (the model's, with the
 * run's compression recorded in {@code text_config}, {@link RecordedCompression}), {@code model.safetensors} (every
 * weight under its checkpoint name, the pooling weight included), {@code tokenizer.json} and
 * {@code preprocessor_config.json}. A LoRA checkpoint holds only the trained tensors in {@code model.safetensors} and
 * the adapters as a PEFT folder ({@code adapter_config.json}, {@code adapter_model.safetensors}, with learnable_pool
 * {@code visual_pooling.safetensors}): {@code florence2 merge} folds it into its base model folder, which then loads with
 * {@code florence2 generate}. Both hold, for resuming, {@code optimizer.safetensors} (optimizer moments and step
 * counters, the schedule position and the engine RNG seed, exactly as {@link ai.vtc.optim} names them) and, written
 * last, {@code state.json} ({@link State}: step, data order position and its RNG state, the losses so far, the sha256
 * of every other file, so a download can check each one). The folder is assembled under a temporary name and renamed
 * into place, so a folder with a state.json is complete.
 */
public final class TrainingCheckpoint {

    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    static final String FORMAT = "florence2-train-checkpoint/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingCheckpoint() {}

    /**
     * state.json.
     *
     * @param step optimizer steps done
     * @param totalSteps steps the run is planned for
     * @param examples training examples of the run (a resume must use the same)
     * @param seed the run's seed (data order, engine seeding)
     * @param epoch data order: current epoch
     * @param cursor data order: examples of the current epoch already used
     * @param dataRngState data order: the xoshiro256** state at the start of the epoch
     * @param schedulePosition learning-rate schedule position (also in optimizer.safetensors)
     * @param losses loss of every optimizer step so far
     * @param precision the precision the run trained in (fp32, bf16, fp16; absent in older checkpoints); the weights
     *     and optimizer state are float32 whatever it is, so a run may resume in another precision
     * @param lossScale fp16's dynamic loss scale at this step (1 for fp32 and bf16) ({@link LossScaler})
     * @param goodSteps fp16: steps since the scale last changed
     * @param skippedSteps fp16: optimizer steps skipped so far because a gradient overflowed
     * @param sha256 of every other file of the folder, by name
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record State(
            String format,
            long step,
            long totalSteps,
            int examples,
            long seed,
            int epoch,
            int cursor,
            long[] dataRngState,
            long schedulePosition,
            String optimizer,
            String trainable,
            String compression,
            double learningRate,
            double loss,
            double[] losses,
            String precision,
            double lossScale,
            long goodSteps,
            long skippedSteps,
            Map<String, String> sha256) {}

    /**
     * Writes {@code parent/step-<step>/} with {@code weights} as {@value #MODEL} (LoRA: only the trained tensors, the
     * base weights are the model folder's) and whatever {@code extraFiles} writes into the folder before it is moved
     * into place (a full fine-tuning checkpoint: {@link #writeModelFiles}); state.json lists the sha256 of every file
     * the folder holds; returns the folder. An existing folder of that step is replaced.
     */
    static Path write(
            Path parent,
            Map<String, NDArray> weights,
            Map<String, NDArray> optimizerState,
            State state,
            Consumer<Path> extraFiles) {
        Path dir = parent.resolve("step-" + state.step());
        Path tmp = parent.resolve(".step-" + state.step() + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            extraFiles.accept(tmp);
            SafeTensorsWriter.write(tmp.resolve(MODEL), weights, Map.of("format", "pt"));
            SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), optimizerState, Map.of("format", "pt"));
            Map<String, String> sums = sha256OfFiles(tmp);
            State complete = new State(
                    FORMAT,
                    state.step(),
                    state.totalSteps(),
                    state.examples(),
                    state.seed(),
                    state.epoch(),
                    state.cursor(),
                    state.dataRngState(),
                    state.schedulePosition(),
                    state.optimizer(),
                    state.trainable(),
                    state.compression(),
                    state.learningRate(),
                    state.loss(),
                    state.losses(),
                    state.precision(),
                    state.lossScale(),
                    state.goodSteps(),
                    state.skippedSteps(),
                    sums);
            JSON.writeValue(tmp.resolve(STATE).toFile(), complete);
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
    }

    /**
     * The files besides {@value #MODEL} that make a checkpoint a model folder: {@code config.json} with
     * {@code compression} recorded in its text_config (at inference a staged schedule ends in the run's compression),
     * {@code tokenizer.json} and {@code preprocessor_config.json}.
     */
    static void writeModelFiles(Path dir, Florence2Pipeline pipeline, Compression compression) {
        try {
            Files.writeString(
                    dir.resolve(ModelFolder.CONFIG),
                    RecordedCompression.record(pipeline.model().config(), compression)
                                    .toJson()
                            + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ModelFolder.CONFIG), e);
        }
        pipeline.tokenizer().save(dir.resolve(ModelFolder.TOKENIZER));
        pipeline.imageProcessor().save(dir);
    }

    /** The sha256 of every file of {@code dir} by name (a checkpoint folder has no subfolders). */
    private static Map<String, String> sha256OfFiles(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                sums.put(file.getFileName().toString(), sha256(file));
            }
        }
        return sums;
    }

    /** Reads state.json and checks that the two tensor files are there. */
    public static State readState(Path dir) {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a complete training checkpoint: no " + STATE);
        }
        for (String name : List.of(MODEL, OPTIMIZER)) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalArgumentException(dir + " is not a complete training checkpoint: no " + name);
            }
        }
        try {
            State s = JSON.readValue(file.toFile(), State.class);
            if (s.dataRngState() == null || s.losses() == null) {
                throw new IllegalArgumentException(file + " lacks the data order or the losses");
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** optimizer.safetensors as arrays owned by {@code manager}, bit for bit (F32, F64, I64 as stored). */
    static Map<String, NDArray> readOptimizer(Path dir, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(OPTIMIZER))) {
            for (Map.Entry<String, TensorSource.Info> e : file.tensors().entrySet()) {
                DataType type = switch (e.getValue().dtype()) {
                    case F32 -> DataType.FLOAT32;
                    case F64 -> DataType.FLOAT64;
                    case I64 -> DataType.INT64;
                    case I32 -> DataType.INT32;
                    default ->
                        throw new IllegalArgumentException(
                                "unexpected " + e.getValue().dtype() + " tensor " + e.getKey() + " in " + OPTIMIZER);
                };
                out.put(
                        e.getKey(),
                        Tensors.copyOf(
                                manager,
                                file.raw(e.getKey()),
                                new Shape(e.getValue().shape()),
                                type));
            }
        }
        return out;
    }

    /** Loads model.safetensors into the model. */
    static void readModel(Path dir, Florence2Model model) {
        try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(MODEL))) {
            model.loadWeights(file);
        }
    }

    /**
     * Loads {@value #MODEL} of a checkpoint that holds only the trained tensors (LoRA) into {@code params}; the file
     * must hold exactly those names with those shapes.
     */
    static void readWeights(Path dir, Map<String, Param> params) {
        try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(MODEL))) {
            Map<String, TensorSource.Info> stored = file.tensors();
            List<String> problems = new ArrayList<>();
            params.forEach((name, p) -> {
                TensorSource.Info info = stored.get(name);
                if (info == null) {
                    problems.add("missing " + name);
                } else if (!Arrays.equals(info.shape(), p.shape().getShape())) {
                    problems.add(name + " has shape " + Arrays.toString(info.shape()) + ", this run " + p.shape());
                }
            });
            stored.keySet().stream().filter(k -> !params.containsKey(k)).forEach(k -> problems.add("unexpected " + k));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("cannot resume from " + dir + ": its " + MODEL
                        + " does not hold this run's trained tensors: "
                        + String.join("; ", problems.subList(0, Math.min(8, problems.size()))));
            }
            params.forEach((name, p) ->
                    p.set(Tensors.copyOf(p.array().getManager(), file.readFloat32(name), p.shape(), DataType.FLOAT32)));
        }
    }

    /** Deletes all but the newest {@code keep} step folders under {@code parent}. */
    static void prune(Path parent, int keep) {
        try (Stream<Path> dirs = Files.list(parent)) {
            List<Path> steps = dirs.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .sorted(Comparator.comparingLong(TrainingCheckpoint::stepOf).reversed())
                    .toList();
            for (Path old : steps.subList(Math.min(keep, steps.size()), steps.size())) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints in " + parent, e);
        }
    }

    private static long stepOf(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("step-".length()));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
