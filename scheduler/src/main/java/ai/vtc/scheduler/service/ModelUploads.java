package ai.vtc.scheduler.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Models as first-class inputs: {@code models/<name>/} holds the files of a model folder and, written last, {@code
 * manifest.json} ({@link ModelManifest}: the sha256 of every file). An upload runs in two calls. {@link #begin} takes
 * the manifest the client computed: the same model again is a no-op, a different model under a taken name is refused
 * unless replacing; otherwise the pending manifest goes to {@code upload.json}, the old manifest and any file the new
 * one does not list are removed (so a half-replaced model is never taken for complete), and the client gets a
 * presigned PUT link per file. {@link #complete} checks every stored file against the pending manifest, byte for byte,
 * and only then writes {@code manifest.json}. Sweeps read the manifest's hash into their trial ids ({@link
 * ModelCatalog}), so changed weights never reuse old results.
 */
@ApplicationScoped
public class ModelUploads {
    private static final Logger LOG = Logger.getLogger(ModelUploads.class);
    private final ObjectStore store;
    private final SchedulerConfig config;

    public ModelUploads(ObjectStore store, SchedulerConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * What {@link #begin} decided.
     *
     * @param unchanged the same files are stored under the name already: nothing to upload
     * @param manifest the manifest as it is (unchanged) or will be stored
     * @param uploads file name -> a presigned PUT link, empty when unchanged
     */
    public record Begun(boolean unchanged, ModelManifest manifest, Map<String, String> uploads) {}

    /** A model stored under its name: its manifest, or null for files put there without one (S3 tools). */
    public record Stored(String name, ModelManifest manifest, boolean uploading) {}

    public Begun begin(String name, ModelManifest proposed, boolean replace) {
        checkName(name);
        if (proposed == null || proposed.files() == null) {
            throw new ModelRejectedException(
                    "the body must be a model manifest: {\"files\": {NAME: {sha256, bytes}}}", false);
        }
        ModelManifest manifest = proposed.named(name).seal();
        List<String> problems = manifest.problems();
        if (!problems.isEmpty()) {
            throw new ModelRejectedException("model " + name + ": " + String.join("; ", problems), false);
        }
        Optional<ModelManifest> existing = manifest(name);
        if (existing.isPresent() && existing.get().sha256().equals(manifest.sha256())) {
            return new Begun(true, existing.get(), Map.of());
        }
        List<String> stored = files(name);
        if (!replace && (existing.isPresent() || !stored.isEmpty())) {
            throw new ModelRejectedException(
                    "model " + name + " exists with other files"
                            + existing.map(m -> " (manifest sha256 " + m.sha256() + ")")
                                    .orElse("")
                            + "; upload under another name, or replace it (sweep models upload --replace): sweeps"
                            + " submitted afterwards get new trial ids",
                    true);
        }
        store.put(Keys.modelUpload(name), Json.write(manifest).getBytes(StandardCharsets.UTF_8), "application/json");
        store.delete(Keys.modelManifest(name));
        existing.ifPresent(this::deleteVisionFeatures);
        for (String file : stored) {
            if (!manifest.files().containsKey(file)) {
                store.delete(Keys.modelFile(name, file));
            }
        }
        int expiry = (int) config.presignExpiry().toSeconds();
        Map<String, String> uploads = new TreeMap<>();
        for (String file : manifest.files().keySet()) {
            uploads.put(file, store.presignedPut(Keys.modelFile(name, file), expiry));
        }
        return new Begun(false, manifest, uploads);
    }

    /**
     * Checks the uploaded files against the pending manifest and publishes it; a file that is missing or differs is
     * deleted and named, and the model stays incomplete until an upload completes.
     */
    public ModelManifest complete(String name) {
        checkName(name);
        String pendingKey = Keys.modelUpload(name);
        if (!store.exists(pendingKey)) {
            throw new ModelRejectedException("model " + name + " has no upload under way; begin one first", false);
        }
        ModelManifest manifest =
                ModelManifest.read(new String(store.get(pendingKey), StandardCharsets.UTF_8), pendingKey);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ModelManifest.FileEntry> file : manifest.files().entrySet()) {
            String key = Keys.modelFile(name, file.getKey());
            Optional<Long> size = store.size(key);
            if (size.isEmpty()) {
                problems.add(file.getKey() + " was not uploaded");
                continue;
            }
            String actual = sha256(key);
            if (size.get() != file.getValue().bytes()
                    || !actual.equals(file.getValue().sha256())) {
                problems.add(file.getKey() + " arrived with " + size.get() + " bytes and sha256 " + actual + ", not "
                        + file.getValue().bytes() + " bytes and "
                        + file.getValue().sha256());
                store.delete(key);
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelRejectedException(
                    "model " + name + " is incomplete: " + String.join("; ", problems) + "; upload it again", false);
        }
        store.put(Keys.modelManifest(name), manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
        store.delete(pendingKey);
        return manifest;
    }

    /**
     * The vision features workers computed with the replaced weights ({@link Keys#features}, keyed by the weights'
     * hash): no trial can read them again (the new weights have another id), so they only take space.
     */
    private void deleteVisionFeatures(ModelManifest replaced) {
        Map<String, String> sums = new TreeMap<>();
        replaced.files().forEach((file, entry) -> sums.put(file, entry.sha256()));
        if (!sums.containsKey("model.safetensors")) {
            return; // no weights, no features
        }
        List<String> keys = store.list(Keys.features(Keys.modelWeightsId(sums)));
        for (String key : keys) {
            store.delete(key);
        }
        if (!keys.isEmpty()) {
            LOG.infof(
                    "deleted the vision features of %d images made with the replaced weights of model %s",
                    keys.size(), replaced.name());
        }
    }

    /** Every name under {@code models/}, in name order, with its manifest where it has one. */
    public List<Stored> list() {
        Map<String, Boolean> names = new TreeMap<>();
        for (String key : store.list("models/")) {
            String[] parts = key.split("/");
            if (parts.length == 3) {
                names.merge(parts[1], parts[2].equals(ModelManifest.FILE_NAME), Boolean::logicalOr);
            }
        }
        List<Stored> models = new ArrayList<>();
        names.forEach((name, hasManifest) -> models.add(new Stored(
                name, hasManifest ? manifest(name).orElse(null) : null, store.exists(Keys.modelUpload(name)))));
        return models;
    }

    /** The stored manifest of {@code name}, if the model has one. */
    public Optional<ModelManifest> manifest(String name) {
        String key = Keys.modelManifest(name);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(ModelManifest.read(new String(store.get(key), StandardCharsets.UTF_8), key));
    }

    /** The top-level files stored under the model's name, its manifest and upload marker excepted. */
    private List<String> files(String name) {
        String prefix = Keys.model(name);
        List<String> files = new ArrayList<>();
        for (String key : store.list(prefix)) {
            String file = key.substring(prefix.length());
            if (!file.contains("/") && !key.equals(Keys.modelManifest(name)) && !key.equals(Keys.modelUpload(name))) {
                files.add(file);
            }
        }
        return files;
    }

    private String sha256(String key) {
        try (InputStream in = new DigestInputStream(store.open(key), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void checkName(String name) {
        try {
            Keys.model(name);
        } catch (StorageException e) {
            throw new ModelRejectedException(e.getMessage(), false);
        }
    }
}
