package ai.vtc.cli;

import ai.djl.Device;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.io.CheckpointMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sweep models upload} stores of a folder, decided before anything leaves the machine: the folder must
 * load as a Florence-2 model on the CPU (config.json valid, the weights exactly the parameters it declares, a
 * tokenizer), so a broken model never reaches a worker. Only the files the model library reads are taken: the
 * weights file it loads ({@code model.safetensors} before {@code pytorch_model.bin}), config, tokenizer and, when
 * present, the processor's config.
 */
final class ModelFolderCheck {
    private ModelFolderCheck() {}

    /**
     * The files to upload, by name, in the order they are sent.
     *
     * @throws UserError saying what is wrong with the folder; nothing was stored
     */
    static Map<String, Path> check(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UserError(
                    folder + " is not a folder (give the model folder: config.json, weights, tokenizer.json)");
        }
        for (String required : List.of(ModelManifest.CONFIG, ModelManifest.TOKENIZER)) {
            if (!Files.isRegularFile(folder.resolve(required))) {
                throw new UserError(folder + " has no " + required + "; a model folder needs config.json, "
                        + "model.safetensors or pytorch_model.bin, and tokenizer.json; nothing was stored");
            }
        }
        String weights = Files.isRegularFile(folder.resolve(ModelManifest.SAFETENSORS))
                ? ModelManifest.SAFETENSORS
                : ModelManifest.PYTORCH_BIN;
        if (!Files.isRegularFile(folder.resolve(weights))) {
            throw new UserError(
                    folder + " has no weights (model.safetensors or pytorch_model.bin); nothing was stored");
        }
        load(folder);
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name :
                List.of(ModelManifest.CONFIG, ModelManifest.TOKENIZER, ModelManifest.PREPROCESSOR, weights)) {
            if (Files.isRegularFile(folder.resolve(name))) {
                files.put(name, folder.resolve(name));
            }
        }
        return files;
    }

    /** The manifest of {@code files} (sha256 and size of each) under {@code name}. */
    static ModelManifest manifest(String name, Map<String, Path> files) throws IOException {
        Map<String, ModelManifest.FileEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            entries.put(
                    file.getKey(),
                    new ModelManifest.FileEntry(Sha256.of(file.getValue()), Files.size(file.getValue())));
        }
        return ModelManifest.of(name, entries);
    }

    private static void load(Path folder) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // the PyTorch native library comes with the jars
        }
        try (Florence2Pipeline loaded = Florence2Pipeline.load(folder, Device.cpu())) {
            loaded.tokenizer().encode("<s>");
        } catch (CheckpointMismatchException e) {
            throw new UserError("the weights in " + folder + " do not match its config.json ("
                    + summary("missing", e.missing()) + ", " + summary("unexpected", e.unexpected()) + ", "
                    + summary("of another shape", e.misShaped()) + "); nothing was stored");
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new UserError(folder + " does not load as a Florence-2 model: " + message + "; nothing was stored");
        }
    }

    private static String summary(String what, List<String> keys) {
        return keys.isEmpty() ? "none " + what : keys.size() + " " + what + " (first: " + keys.get(0) + ")";
    }
}
