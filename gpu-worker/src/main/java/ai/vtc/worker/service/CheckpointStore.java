package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialIds;
import ai.vtc.florence2.train.TrainingSample;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.storage.StorageFailures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Checkpoints in object storage: {@code checkpoints/<trial>/step-<n>/} holds the runner's files and, written last,
 * {@code state.json} with the sha256 of every other file under {@code "sha256"}. A checkpoint without its
 * {@code state.json} is incomplete; one whose files do not match is corrupt. Both are skipped on resume. A storage
 * fault ({@link StorageFailures#isTransient}: unreachable, timing out, 5xx) is neither: the store retries it, and one
 * that outlasts the retries fails the resume, so the next attempt resumes from the same checkpoint, not from step 0.
 */
@ApplicationScoped
public class CheckpointStore {
    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final Pattern STEP = Pattern.compile("checkpoints/[^/]+/step-(\\d+)/([^/]+)");
    static final String STATE = "state.json";

    private final ObjectStore store;

    public CheckpointStore(ObjectStore store) {
        this.store = store;
    }

    /** What was uploaded: where, how big, and the sha256 of the final state.json. */
    public record Saved(String uri, long step, long bytes, String stateSha256) {}

    /** A checkpoint ready to resume from, with the steps that were skipped on the way and why. */
    public record Restored(long step, Path dir, List<String> skipped) {}

    /** Uploads {@code dir} (the runner's files incl. state.json) as the checkpoint of {@code step}. */
    public Saved save(String trialId, long step, Path dir) {
        String prefix = Keys.checkpoint(trialId, step);
        Map<String, String> sums = new TreeMap<>();
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals(STATE)) {
                    continue;
                }
                sums.put(name, sha256(file));
                bytes += Files.size(file);
                store.putFile(prefix + Keys.name("checkpoint file", name), file);
            }
            ObjectNode state = Files.exists(dir.resolve(STATE))
                    ? (ObjectNode) Json.mapper().readTree(dir.resolve(STATE).toFile())
                    : Json.mapper().createObjectNode();
            state.put("step", step);
            ObjectNode sha = state.putObject("sha256");
            sums.forEach(sha::put);
            byte[] stateBytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            store.put(prefix + STATE, stateBytes, "application/json");
            return new Saved(store.uri(prefix), step, bytes + stateBytes.length, TrialIds.sha256Hex(stateBytes));
        } catch (IOException e) {
            throw new TrialFailure("cannot upload checkpoint " + prefix + ": " + e.getMessage(), true, e);
        }
    }

    /** Stores the samples taken while training as {@code checkpoints/<trial>/samples.json}, replacing earlier ones. */
    public void saveSamples(String trialId, List<TrainingSample> samples) {
        try {
            byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(samples);
            store.put(Keys.trainingSamples(trialId), json, "application/json");
        } catch (IOException e) {
            throw new TrialFailure("cannot upload the training samples of " + trialId + ": " + e.getMessage(), true, e);
        }
    }

    /** Steps that have a {@code state.json}, newest first. */
    public List<Long> completeSteps(String trialId) {
        TreeMap<Long, Boolean> steps = new TreeMap<>((a, b) -> Long.compare(b, a));
        for (String key : store.list(Keys.checkpoints(trialId))) {
            Matcher m = STEP.matcher(key);
            if (m.matches() && m.group(2).equals(STATE)) {
                steps.put(Long.parseLong(m.group(1)), true);
            }
        }
        return new ArrayList<>(steps.keySet());
    }

    /**
     * Downloads the newest checkpoint whose files match their sha256 into {@code target/step-<n>}. A corrupt newer
     * checkpoint is skipped and logged, so training resumes from the previous one.
     */
    public Optional<Restored> newestVerified(String trialId, Path target) {
        List<String> skipped = new ArrayList<>();
        for (long step : completeSteps(trialId)) {
            Path dir = target.resolve("step-" + step);
            String problem = download(trialId, step, dir);
            if (problem == null) {
                return Optional.of(new Restored(step, dir, skipped));
            }
            String message = "checkpoint step " + step + " of trial " + trialId + " is unusable (" + problem
                    + "); falling back to the previous one";
            LOG.warn(message);
            skipped.add(message);
        }
        return skipped.isEmpty() ? Optional.empty() : Optional.of(new Restored(0, null, skipped));
    }

    /** Null when every file arrived and matches, otherwise what is wrong; throws a transient storage failure. */
    private String download(String trialId, long step, Path dir) {
        String prefix = Keys.checkpoint(trialId, step);
        try {
            Files.createDirectories(dir);
            store.download(prefix + STATE, dir.resolve(STATE));
            JsonNode sums = Json.mapper().readTree(dir.resolve(STATE).toFile()).path("sha256");
            if (!sums.isObject() || sums.isEmpty()) {
                return "state.json lists no file checksums";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = sums.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = Keys.name("checkpoint file", entry.getKey());
                Path file = dir.resolve(name);
                if (!store.exists(prefix + name)) {
                    return name + " is missing";
                }
                store.download(prefix + name, file);
                String actual = sha256(file);
                if (!actual.equals(entry.getValue().asText())) {
                    return name + " has sha256 " + actual + ", state.json says "
                            + entry.getValue().asText();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            if (StorageFailures.isTransient(e)) {
                throw e instanceof RuntimeException r ? r : new StorageException(e.getMessage(), e);
            }
            return e.getMessage();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
