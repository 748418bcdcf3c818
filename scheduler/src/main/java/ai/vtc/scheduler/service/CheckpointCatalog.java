package ai.vtc.scheduler.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialIds;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The complete checkpoints of a trial in object storage. A worker uploads a checkpoint's files first and its {@code
 * state.json} (the checkpoint's manifest: the sha256 of every other file) last, so a step is complete when its
 * state.json exists and every file it lists is stored; a step still uploading, or one a dead worker left halfway, is
 * not offered. Each file comes with the sha256 a download must match.
 */
@ApplicationScoped
public class CheckpointCatalog {
    /** The manifest of a checkpoint folder, written last. */
    public static final String STATE = "state.json";

    private static final Pattern STEP = Pattern.compile("step-(\\d+)/([^/]+)");

    private final ObjectStore store;

    public CheckpointCatalog(ObjectStore store) {
        this.store = store;
    }

    /** A stored file of a checkpoint and the sha256 of its bytes. */
    public record StoredFile(String name, String key, String sha256) {}

    /** A complete checkpoint: its step and files, state.json included. */
    public record Step(long step, List<StoredFile> files) {}

    /** The complete checkpoints of {@code trialId}, oldest step first. */
    public List<Step> complete(String trialId) {
        String prefix = Keys.checkpoints(trialId);
        Map<Long, Map<String, String>> keysByStep = new TreeMap<>();
        for (String key : store.list(prefix)) {
            Matcher m = STEP.matcher(key.substring(prefix.length()));
            if (m.matches()) {
                keysByStep
                        .computeIfAbsent(Long.parseLong(m.group(1)), s -> new HashMap<>())
                        .put(m.group(2), key);
            }
        }
        List<Step> steps = new ArrayList<>();
        keysByStep.forEach((step, keys) -> {
            if (keys.containsKey(STATE)) {
                listed(step, keys).ifPresent(steps::add);
            }
        });
        return steps;
    }

    /** The files state.json lists, or empty when state.json is unreadable or names a file that is not stored. */
    private Optional<Step> listed(long step, Map<String, String> keys) {
        byte[] state = store.get(keys.get(STATE));
        JsonNode sums;
        try {
            sums = Json.mapper().readTree(state).path("sha256");
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!sums.isObject() || sums.isEmpty()) {
            return Optional.empty();
        }
        List<StoredFile> files = new ArrayList<>();
        for (Map.Entry<String, JsonNode> sum : sums.properties()) {
            String key = keys.get(sum.getKey());
            if (key == null || !sum.getValue().isTextual()) {
                return Optional.empty();
            }
            files.add(new StoredFile(sum.getKey(), key, sum.getValue().textValue()));
        }
        files.sort(Comparator.comparing(StoredFile::name));
        files.add(new StoredFile(STATE, keys.get(STATE), TrialIds.sha256Hex(state)));
        return Optional.of(new Step(step, files));
    }
}
