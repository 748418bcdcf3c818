package ai.vtc.florence2.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * LoRA adapters on a Florence-2 model, as PEFT's {@code get_peft_model} puts them: every linear layer whose last name
 * component is a target gets A (Kaiming-uniform, a = sqrt(5)) and B (zeros), so the adapted model starts as the base
 * model. The base weights are left untouched; the adapters live in a parameter store of their own, named with PEFT's
 * keys ({@value #KEY_PREFIX}{@code <module>.lora_A.weight}), so saving and loading them is that store's. Convolutions
 * (the patch embeddings' {@code proj}) are not adapted: only {@code Linear} layers are.
 */
public final class LoraAdapters implements AutoCloseable {

    /** PEFT's prefix of every adapter key: {@code PeftModel.base_model} is a LoraModel whose {@code model} is the base. */
    public static final String KEY_PREFIX = "base_model.model.";

    private final Florence2Model model;
    private final LoraConfig config;
    private final NDManager manager;
    private final ParameterStore store;
    private final Map<String, Linear> layers;
    private final Map<String, LoraLinear> adapters = new LinkedHashMap<>();
    private boolean training;
    private boolean attached;

    private LoraAdapters(Florence2Model model, LoraConfig config) {
        this.model = model;
        this.config = config;
        this.layers = targets(model, config);
        this.manager = model.manager().newSubManager();
        this.store = new ParameterStore(manager);
        float scaling = (float) config.scaling();
        float dropout = (float) config.dropout();
        layers.forEach((module, linear) -> {
            Param a = store.declare(
                    keyA(module), new Shape(config.rank(), linear.in()), Init.kaimingUniform(Math.sqrt(5)));
            Param b = store.declare(keyB(module), new Shape(linear.out(), config.rank()), Init.zeros());
            adapters.put(module, new LoraLinear(a, b, scaling, dropout, () -> training));
        });
    }

    /** Fresh adapters (A drawn from {@code seed}, B zeros) on every targeted layer of {@code model}. */
    public static LoraAdapters attach(Florence2Model model, LoraConfig config, long seed) {
        LoraAdapters lora = new LoraAdapters(model, config);
        lora.store.initialiseMissing(seed);
        lora.attachAll();
        return lora;
    }

    /**
     * Checks that {@code config} fits {@code model} (every target matches a linear layer, the rank fits every targeted
     * layer) without creating anything; the same errors as {@link #attach}.
     */
    public static void checkFits(Florence2Model model, LoraConfig config) {
        targets(model, config);
    }

    /** Adapters declared for {@code model} but not yet filled: {@link PeftAdapterFolder} loads their values. */
    static LoraAdapters declared(Florence2Model model, LoraConfig config) {
        return new LoraAdapters(model, config);
    }

    void attachAll() {
        adapters.forEach((module, adapter) -> layers.get(module).attach(adapter));
        attached = true;
    }

    /** The targeted linear layers by module name; an error naming the model's layers when a target matches none. */
    private static Map<String, Linear> targets(Florence2Model model, LoraConfig config) {
        Map<String, Linear> all = model.parameters().linears();
        Map<String, Linear> chosen = new LinkedHashMap<>();
        all.forEach((module, linear) -> {
            if (config.targets(module)) {
                chosen.put(module, linear);
            }
        });
        TreeSet<String> lastNames = new TreeSet<>();
        all.keySet().forEach(m -> lastNames.add(m.substring(m.lastIndexOf('.') + 1)));
        List<String> unmatched = config.targetModules().stream()
                .filter(t -> !lastNames.contains(t))
                .toList();
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("LoRA target modules " + unmatched
                    + " match no linear layer of the model; its linear layers end in " + String.join(", ", lastNames)
                    + " (for example " + all.keySet().iterator().next() + ")");
        }
        List<String> tooSmall = new ArrayList<>();
        chosen.forEach((module, linear) -> {
            if (config.rank() > Math.min(linear.in(), linear.out())) {
                tooSmall.add(module + " [" + linear.out() + ", " + linear.in() + "]");
            }
        });
        if (!tooSmall.isEmpty()) {
            throw new IllegalArgumentException("LoRA rank " + config.rank()
                    + " is larger than the smaller side of " + tooSmall.size() + " targeted layer(s), e.g. "
                    + tooSmall.get(0) + "; use a rank of at most "
                    + chosen.values().stream()
                            .mapToLong(l -> Math.min(l.in(), l.out()))
                            .min()
                            .orElse(0));
        }
        return chosen;
    }

    static String keyA(String module) {
        return KEY_PREFIX + module + ".lora_A.weight";
    }

    static String keyB(String module) {
        return KEY_PREFIX + module + ".lora_B.weight";
    }

    public LoraConfig config() {
        return config;
    }

    /** The adapted layers' module names, in the model's order. */
    public List<String> modules() {
        return List.copyOf(layers.keySet());
    }

    /** The adapter parameters by PEFT key (A then B per layer): what LoRA training updates and checkpoints store. */
    public Map<String, Param> parameters() {
        Map<String, Param> out = new LinkedHashMap<>();
        store.params().forEach(p -> out.put(p.name(), p));
        return Collections.unmodifiableMap(out);
    }

    ParameterStore store() {
        return store;
    }

    Florence2Model model() {
        return model;
    }

    /** Dropout applies while this is on (the trainer turns it on for its forward and backward passes only). */
    public void training(boolean on) {
        training = on;
    }

    /**
     * Folds every adapter into its layer's weight, W + s B A, and removes the adapters: the model then computes what
     * the adapted model computed (without dropout), with no extra products, and saves as a plain Hugging Face folder.
     */
    public void merge() {
        if (!attached) {
            throw new IllegalStateException("the adapters are already merged or detached");
        }
        adapters.forEach((module, adapter) -> {
            Param weight = layers.get(module).weight();
            try (NDArray delta = adapter.b().array().matMul(adapter.a().array()); // [out, in]
                    NDArray scaled = Tensors.mul(delta, adapter.scaling())) {
                weight.set(weight.array().add(scaled)); // owned by the weight's manager, like the array it replaces
            }
        });
        detach();
    }

    /** Removes the adapters from the layers: the model is the base model again. */
    public void detach() {
        layers.values().forEach(l -> l.attach(null));
        attached = false;
    }

    @Override
    public void close() {
        if (attached) {
            detach();
        }
        manager.close();
    }
}
