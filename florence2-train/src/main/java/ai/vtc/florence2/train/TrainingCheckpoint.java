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
import ai.vtc.florence2.nn.Tensors;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A training checkpoint folder {@code step-<n>/}, which is also a Hugging Face model folder that the model library (and
 * {@code florence2 generate --model}) loads as it is: {@code config.json} (the model's, with the run's compression
 * recorded in {@code text_config}, {@link RecordedCompression}), {@code model.safetensors} (every weight under its
 * checkpoint name, the pooling weight included), {@code tokenizer.json} and {@code preprocessor_config.json}; for
 * resuming, {@code optimizer.safetensors} (optimizer moments and step counters, the schedule position and the engine
 * RNG seed, exactly as {@link ai.vtc.optim} names them) and, written last, {@code state.json} ({@link State}: step,
 * data order position and its RNG state, the losses so far, the sha256 of every other file). The folder is assembled
 * under a temporary name and renamed into place, so a folder with a state.json is complete.
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
            Map<String, String> sha256) {}

    /**
     * Writes {@code parent/step-<step>/} and returns it; an existing folder of that step is replaced.
     *
     * @param compression the run's compression (at inference: a staged schedule ends in it), recorded in config.json
     */
    static Path write(
            Path parent,
            Florence2Pipeline pipeline,
            Compression compression,
            Map<String, NDArray> optimizerState,
            State state) {
        Path dir = parent.resolve("step-" + state.step());
        Path tmp = parent.resolve(".step-" + state.step() + ".tmp");
        Florence2Model model = pipeline.model();
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            ModelFolder.saveWeights(
                    tmp, RecordedCompression.record(model.config(), compression).toJson(), model.parameters());
            pipeline.tokenizer().save(tmp.resolve(ModelFolder.TOKENIZER));
            pipeline.imageProcessor().save(tmp);
            SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), optimizerState, Map.of("format", "pt"));
            Map<String, String> sums = new TreeMap<>();
            for (String name : List.of(ModelFolder.CONFIG, MODEL, ModelFolder.TOKENIZER, ModelFolder.PREPROCESSOR)) {
                sums.put(name, sha256(tmp.resolve(name)));
            }
            sums.put(OPTIMIZER, sha256(tmp.resolve(OPTIMIZER)));
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
                    sums);
            JSON.writeValue(tmp.resolve(STATE).toFile(), complete);
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
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
