package ai.vtc.florence2.lora;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.io.CheckpointLoader;
import ai.vtc.florence2.io.CheckpointMismatchException;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.SafeTensorsWriter;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.nn.Param;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PEFT's adapter folder, so that {@code PeftModel.from_pretrained(florence2, dir)} loads what the trainer made and
 * this project loads what PEFT made: {@code adapter_config.json} (LoraConfig's fields) and {@code
 * adapter_model.safetensors} ({@code base_model.model.<module>.lora_A.weight} [r, in], {@code lora_B.weight} [out,
 * r]). A trial compressed with learnable_pool also writes its pooling weight to {@value #POOLING}; it is no module of
 * the Hugging Face model, so PEFT ignores that file.
 */
public final class PeftAdapterFolder {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String POOLING = "visual_pooling.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterFolder() {}

    /** Writes the folder; {@code baseModel} becomes base_model_name_or_path (the model folder or name). */
    public static void save(LoraAdapters lora, Path dir, String baseModel, boolean withPoolingWeight) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(CONFIG).toFile(), config(lora.config(), baseModel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CONFIG), e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        lora.parameters().forEach((key, p) -> tensors.put(key, p.array()));
        SafeTensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        if (withPoolingWeight) {
            lora.model()
                    .visualPoolingWeight()
                    .ifPresent(p -> SafeTensorsWriter.write(
                            dir.resolve(POOLING), Map.of(p.name(), p.array()), Map.of("format", "pt")));
        }
    }

    /** adapter_config.json with PEFT's LoraConfig fields (the values PEFT writes for what this project leaves out). */
    static ObjectNode config(LoraConfig config, String baseModel) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("alpha_pattern");
        n.putNull("auto_mapping");
        n.put("base_model_name_or_path", baseModel);
        n.put("bias", "none");
        n.put("fan_in_fan_out", false);
        n.put("inference_mode", true);
        n.put("init_lora_weights", true);
        n.putNull("layer_replication");
        n.putNull("layers_pattern");
        n.putNull("layers_to_transform");
        n.putObject("loftq_config");
        n.put("lora_alpha", config.alpha());
        n.put("lora_dropout", config.dropout());
        n.putNull("megatron_config");
        n.put("megatron_core", "megatron.core");
        n.putNull("modules_to_save");
        n.put("peft_type", "LORA");
        n.put("r", config.rank());
        n.putObject("rank_pattern");
        n.putNull("revision");
        config.targetModules().forEach(n.putArray("target_modules")::add);
        n.putNull("task_type");
        n.put("use_dora", false);
        n.put("use_rslora", config.rslora());
        return n;
    }

    /** The folder's LoRA setting; an error naming every field this project cannot apply. */
    public static LoraConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a PEFT adapter folder: no " + CONFIG);
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (!"LORA".equals(n.path("peft_type").asText())) {
            problems.add("peft_type is " + n.path("peft_type") + ", not \"LORA\"");
        }
        if (!n.path("bias").asText("none").equals("none")) {
            problems.add("bias is " + n.path("bias") + " (only \"none\" is supported)");
        }
        for (String flag : List.of("use_dora", "fan_in_fan_out")) {
            if (n.path(flag).asBoolean(false)) {
                problems.add(flag + " is true (not supported)");
            }
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            if (n.path(pattern).size() > 0) {
                problems.add(pattern + " is not empty (per-layer ranks are not supported)");
            }
        }
        if (!n.path("layers_to_transform").isNull()
                && !n.path("layers_to_transform").isMissingNode()) {
            problems.add("layers_to_transform is set (not supported)");
        }
        JsonNode targets = n.path("target_modules");
        List<String> modules = new ArrayList<>();
        if (targets.isArray()) {
            targets.forEach(t -> modules.add(t.asText()));
        } else {
            problems.add("target_modules is " + targets + ", not a list of module names (regular expressions are not"
                    + " supported)");
        }
        if (!n.path("r").canConvertToInt()) {
            problems.add("r is " + n.path("r") + ", not an integer");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("adapter " + dir + " cannot be applied: " + String.join("; ", problems));
        }
        try {
            return new LoraConfig(
                    n.path("r").intValue(),
                    n.path("lora_alpha").asDouble(8),
                    n.path("lora_dropout").asDouble(0),
                    modules,
                    n.path("use_rslora").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("adapter " + dir + " cannot be applied: " + e.getMessage(), e);
        }
    }

    /** base_model_name_or_path of the folder (null when absent), for messages. */
    static String baseModel(Path dir) {
        try {
            JsonNode base = JSON.readTree(dir.resolve(CONFIG).toFile()).path("base_model_name_or_path");
            return base.isTextual() ? base.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The folder's adapters attached to {@code model}; every key must be there with the shape of this model's layers,
     * or the error lists each missing, unexpected and mis-shaped key with the adapter's base model.
     */
    public static LoraAdapters load(Path dir, Florence2Model model) {
        LoraConfig config = readConfig(dir);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(dir + " is not a PEFT adapter folder: no " + WEIGHTS);
        }
        LoraAdapters lora;
        try {
            lora = LoraAdapters.declared(model, config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "adapter " + dir + " (base model " + baseModel(dir) + ") does not fit this model: "
                            + e.getMessage(),
                    e);
        }
        try (TensorSource source = SafeTensorsFile.open(weights)) {
            CheckpointLoader.load(lora.store(), source);
        } catch (CheckpointMismatchException e) {
            lora.close();
            throw new IllegalArgumentException(
                    "adapter " + dir + " (base model " + baseModel(dir) + ") does not fit this model: "
                            + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            lora.close();
            throw e;
        }
        Path pooling = dir.resolve(POOLING);
        if (Files.isRegularFile(pooling)) {
            try (SafeTensorsFile file = SafeTensorsFile.open(pooling)) {
                TensorSource.Info info = file.tensors().get(Florence2Model.VISUAL_POOLING_WEIGHT);
                if (info == null || info.shape().length != 1) {
                    lora.close();
                    throw new IllegalArgumentException(
                            pooling + " holds no 1-D " + Florence2Model.VISUAL_POOLING_WEIGHT);
                }
                Param p = model.visualPoolingWeight(Math.toIntExact(info.shape()[0]));
                p.set(ai.vtc.florence2.nn.Tensors.copyOf(
                        p.array().getManager(),
                        file.readFloat32(Florence2Model.VISUAL_POOLING_WEIGHT),
                        p.shape(),
                        ai.djl.ndarray.types.DataType.FLOAT32));
            }
        }
        lora.attachAll();
        return lora;
    }
}
