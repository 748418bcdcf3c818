package ai.vtc.florence2.io;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a Hugging Face style model folder: {@code config.json}, {@code model.safetensors} (every parameter and
 * buffer once, under its canonical name; tied aliases are restored on load), {@code tokenizer.json} and {@code
 * preprocessor_config.json}. The model calls in here, never the other way round: this package knows files and tensors,
 * not Florence-2.
 */
public final class ModelFolder {

    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    private ModelFolder() {}

    /** Writes config.json ({@code configJson}) and model.safetensors (every parameter and buffer of the store). */
    public static void saveWeights(Path folder, String configJson, ParameterStore parameters) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(CONFIG), configJson + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder, e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Param p : parameters.params()) {
            tensors.put(p.name(), p.array());
        }
        SafeTensorsWriter.write(folder.resolve(CheckpointLoader.SAFETENSORS), tensors, Map.of("format", "pt"));
    }
}
