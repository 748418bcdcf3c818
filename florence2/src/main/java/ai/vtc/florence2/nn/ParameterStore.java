package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * All parameters and buffers of a model, keyed by their checkpoint names, plus the tied aliases (for Florence-2:
 * {@code language_model.model.encoder.embed_tokens.weight}, {@code language_model.model.decoder.embed_tokens.weight}
 * and {@code language_model.lm_head.weight} all name {@code language_model.model.shared.weight}). Blocks declare their
 * parameters here when they are constructed; the loader and the random initialiser then fill them.
 */
public final class ParameterStore implements AutoCloseable {

    /** Random initialisation works on groups of parameters of at most this many values (bounds the heap used). */
    private static final long INIT_CHUNK = 1L << 25;

    private final NDManager manager;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, String> aliasToCanonical = new LinkedHashMap<>();
    private final Map<String, Linear> linears = new LinkedHashMap<>();

    public ParameterStore(NDManager manager) {
        this.manager = manager;
    }

    /** The manager that owns every parameter array (closed with the model). */
    public NDManager manager() {
        return manager;
    }

    public Param declare(String name, Shape shape, Init init) {
        return declare(name, shape, init, false);
    }

    public Param declareBuffer(String name, Shape shape, Init init) {
        return declare(name, shape, init, true);
    }

    private Param declare(String name, Shape shape, Init init, boolean buffer) {
        if (params.containsKey(name) || aliasToCanonical.containsKey(name)) {
            throw new IllegalStateException("parameter declared twice: " + name);
        }
        Param p = new Param(name, shape, init, buffer);
        params.put(name, p);
        return p;
    }

    /** Records a linear layer under its Hugging Face module name, so that adapters (LoRA) can find and wrap it. */
    void registerLinear(String moduleName, Linear linear) {
        if (linears.putIfAbsent(moduleName, linear) != null) {
            throw new IllegalStateException("linear layer declared twice: " + moduleName);
        }
    }

    /** Linear layers by Hugging Face module name ({@code language_model.model.encoder.layers.0.fc1}), in order. */
    public Map<String, Linear> linears() {
        return Collections.unmodifiableMap(linears);
    }

    /** Declares {@code alias} as another checkpoint name of the already declared {@code canonical} parameter. */
    public void tie(String alias, String canonical) {
        if (!params.containsKey(canonical)) {
            throw new IllegalStateException("cannot tie " + alias + " to undeclared " + canonical);
        }
        aliasToCanonical.put(alias, canonical);
    }

    public Param param(String name) {
        Param p = params.get(aliasToCanonical.getOrDefault(name, name));
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public boolean contains(String name) {
        return params.containsKey(aliasToCanonical.getOrDefault(name, name));
    }

    /** Canonical parameters in declaration order. */
    public Collection<Param> params() {
        return Collections.unmodifiableCollection(params.values());
    }

    /** alias name -> canonical name. */
    public Map<String, String> aliases() {
        return Collections.unmodifiableMap(aliasToCanonical);
    }

    /** Checkpoint names that refer to {@code canonical}: itself first, then its aliases. */
    public List<String> namesOf(String canonical) {
        List<String> names = new java.util.ArrayList<>();
        names.add(canonical);
        aliasToCanonical.forEach((alias, target) -> {
            if (target.equals(canonical)) {
                names.add(alias);
            }
        });
        return names;
    }

    /** Sets a parameter from row-major float32 values (already converted from the checkpoint's dtype). */
    public void setValues(Param p, float[] values) {
        p.set(Tensors.floats(manager, values, p.shape()));
    }

    /**
     * Fills every parameter that is not set yet from its {@link Init}. Each parameter draws from its own generator,
     * seeded from {@code seed} and its name: the values do not depend on declaration order or on which other
     * parameters exist, and large models initialise in parallel.
     */
    public void initialiseMissing(long seed) {
        List<Param> pending = new ArrayList<>();
        long pendingSize = 0;
        for (Param p : params.values()) {
            if (!p.isSet()) {
                pending.add(p);
                pendingSize += p.shape().size();
                if (pendingSize > INIT_CHUNK) {
                    initialise(pending, seed);
                    pending.clear();
                    pendingSize = 0;
                }
            }
        }
        initialise(pending, seed);
    }

    private void initialise(List<Param> group, long seed) {
        List<float[]> values = group.parallelStream()
                .map(p -> {
                    float[] v = new float[Math.toIntExact(p.shape().size())];
                    SplittableRandom random = new SplittableRandom(
                            seed * 0x9E3779B97F4A7C15L ^ p.name().hashCode());
                    p.init().fill(v, p.shape().get(p.shape().dimension() - 1), random);
                    return v;
                })
                .toList();
        for (int i = 0; i < group.size(); i++) {
            setValues(group.get(i), values.get(i));
        }
    }

    public long parameterCount() {
        return params.values().stream()
                .filter(p -> !p.isBuffer())
                .mapToLong(p -> p.shape().size())
                .sum();
    }

    @Override
    public void close() {
        for (Param p : params.values()) {
            if (p.isSet()) {
                p.array().close();
            }
        }
    }
}
