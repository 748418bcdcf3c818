package ai.vtc.florence2.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills a {@link ParameterStore} from a checkpoint. The checkpoint is checked against the declared parameters first
 * and every problem is reported in one {@link CheckpointMismatchException}. Tied copies (shared / embed_tokens /
 * lm_head) are read once, from the first name present. Buffers that are absent ({@code final_logits_bias}, {@code
 * pos_idx_to_embed}) keep their computed initial value.
 */
public final class CheckpointLoader {

    public static final String SAFETENSORS = "model.safetensors";
    public static final String PYTORCH_BIN = "pytorch_model.bin";

    private CheckpointLoader() {}

    /** Opens {@code model.safetensors} if present, else {@code pytorch_model.bin}. */
    public static TensorSource open(Path folder) {
        Path safetensors = folder.resolve(SAFETENSORS);
        if (Files.isRegularFile(safetensors)) {
            return SafeTensorsFile.open(safetensors);
        }
        Path bin = folder.resolve(PYTORCH_BIN);
        if (Files.isRegularFile(bin)) {
            return TorchCheckpointFile.open(bin);
        }
        throw new IllegalArgumentException("no " + SAFETENSORS + " or " + PYTORCH_BIN + " in " + folder);
    }

    /** Opens a checkpoint file by its name: {@code .safetensors}, else a torch.save zip. */
    public static TensorSource openFile(Path file) {
        return file.getFileName().toString().endsWith(".safetensors")
                ? SafeTensorsFile.open(file)
                : TorchCheckpointFile.open(file);
    }

    public static void load(ParameterStore store, Path folder) {
        try (TensorSource source = open(folder)) {
            load(store, source);
        }
    }

    public static void load(ParameterStore store, TensorSource source) {
        Map<String, TensorSource.Info> stored = source.tensors();
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<Param> toLoad = new ArrayList<>();
        List<String> fromKey = new ArrayList<>();
        for (Param p : store.params()) {
            String found = null;
            for (String name : store.namesOf(p.name())) {
                TensorSource.Info info = stored.get(name);
                if (info == null) {
                    continue;
                }
                used.add(name);
                if (!Arrays.equals(info.shape(), p.shape().getShape())) {
                    misShaped.add(name + ": checkpoint " + Arrays.toString(info.shape()) + " vs model "
                            + Arrays.toString(p.shape().getShape()));
                } else if (!info.dtype().isFloatingPoint()) {
                    misShaped.add(name + ": checkpoint dtype " + info.dtype() + " is not floating point");
                } else if (found == null) {
                    found = name;
                }
            }
            if (found != null) {
                toLoad.add(p);
                fromKey.add(found);
            } else if (!p.isBuffer() && store.namesOf(p.name()).stream().noneMatch(stored::containsKey)) {
                missing.add(String.join(" / ", store.namesOf(p.name())) + " " + p.shape());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, TensorSource.Info> e : stored.entrySet()) {
            if (!used.contains(e.getKey())) {
                unexpected.add(e.getKey() + " " + Arrays.toString(e.getValue().shape()));
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            throw new CheckpointMismatchException(source.describe(), missing, unexpected, misShaped);
        }
        for (int i = 0; i < toLoad.size(); i++) {
            Param p = toLoad.get(i);
            p.set(create(store, source.readFloat32(fromKey.get(i)), p.shape()));
        }
        store.initialiseMissing(0); // only buffers can still be unset: their init is deterministic
    }

    private static NDArray create(ParameterStore store, ByteBuffer values, Shape shape) {
        return Tensors.copyOf(store.manager(), values, shape, DataType.FLOAT32);
    }
}
