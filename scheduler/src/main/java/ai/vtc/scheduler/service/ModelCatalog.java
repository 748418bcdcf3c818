package ai.vtc.scheduler.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What object storage says about the models and dataset subsets a sweep names: {@code models/<m>/config.json}
 * (and {@code preprocessor_config.json} when present), the model's manifest hash, and {@code
 * datasets/<d>/subsets/<s>.json}.
 */
@ApplicationScoped
public class ModelCatalog {
    /** A lookup that found nothing or something unusable; {@code message} says which. */
    public record Missing(String message) {}

    /** Either the facts or why there are none. */
    public record Lookup<T>(T value, Missing missing) {}

    private final ObjectStore store;

    public ModelCatalog(ObjectStore store) {
        this.store = store;
    }

    public Lookup<ModelFacts> model(String model) {
        if (store.exists(Keys.modelUpload(model)) && !store.exists(Keys.modelManifest(model))) {
            return new Lookup<>(
                    null,
                    new Missing("model '" + model + "' is being uploaded, or its upload stopped halfway: finish it with"
                            + " 'sweep models upload DIR --name " + model + " --replace'"));
        }
        String configKey = Keys.model(model) + "config.json";
        Optional<JsonNode> config = readJson(configKey);
        if (config.isEmpty()) {
            return new Lookup<>(null, new Missing("unknown model '" + model + "': " + configKey + " not found"));
        }
        JsonNode preprocessor =
                readJson(Keys.model(model) + "preprocessor_config.json").orElse(null);
        try {
            return new Lookup<>(ModelFacts.fromHuggingFace(config.get(), preprocessor), null);
        } catch (IllegalArgumentException e) {
            return new Lookup<>(null, new Missing("model '" + model + "' is unusable: " + e.getMessage()));
        }
    }

    /**
     * The sha256 of the model's manifest ({@code models/<m>/manifest.json}, written by a model upload), which goes into
     * every trial id; empty for a model stored without one (its trial ids name only the model).
     */
    public Optional<String> manifestSha256(String model) {
        return readJson(Keys.modelManifest(model))
                .map(manifest -> manifest.path("sha256"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
    }

    /** What validation needs of a subset manifest: its hash and the splits it has question ids for. */
    public record SubsetFacts(String sha256, Set<String> splits) {}

    /** The subset manifest's {@code sha256} and splits. */
    public Lookup<SubsetFacts> subset(String dataset, String subset) {
        String key = Keys.subset(dataset, subset);
        Optional<JsonNode> manifest = readJson(key);
        if (manifest.isEmpty()) {
            return new Lookup<>(
                    null,
                    new Missing("unknown subset '" + subset + "' of dataset '" + dataset + "': " + key + " not found"));
        }
        JsonNode sha = manifest.get().path("sha256");
        if (!sha.isTextual() || sha.textValue().isBlank()) {
            return new Lookup<>(null, new Missing(key + " has no sha256"));
        }
        Set<String> splits = new TreeSet<>();
        manifest.get().path("question_ids").fieldNames().forEachRemaining(splits::add);
        return new Lookup<>(new SubsetFacts(sha.textValue(), splits), null);
    }

    private Optional<JsonNode> readJson(String key) {
        if (!store.exists(key)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(store.get(key));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
