package ai.vtc.worker.service;

import ai.vtc.contracts.MetricNames;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.train.TrainOptions;
import ai.vtc.florence2.train.VisionFeatureFile;
import ai.vtc.florence2.train.VisionFeatureStore;
import ai.vtc.florence2.train.VisionFeatures;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Vision features shared by every trial of one model's weights, dataset, image size and precision through object
 * storage ({@link Keys#visionFeatures}: {@code features/<model weights id>/<dataset>/<H>x<W>/<precision>/<image>.bin}).
 * The first trial that needs an image's features computes and uploads them; the others (on any worker, in any epoch)
 * read them instead of running the vision tower. The key holds the model's weights id ({@link Keys#modelWeightsId}, a
 * hash of the model's files, never its name), so a model replaced under its name never reuses old features.
 *
 * <p>An entry is one object written by a single PUT (S3 makes it visible whole or not at all) in {@link
 * VisionFeatureFile}'s format: the sha256 of its payload and of the image it was made from, checked on every read. A
 * truncated or corrupt entry, or one made from another image under the same file name, is logged, counted ({@code
 * rejected}) and treated as absent: the trial computes it again and uploads it over the bad one. A verified copy is
 * kept under the worker's cache folder ({@code <cache>/features/...}, checked again on every read) so later epochs and
 * trials on this worker read the disk, not the network. Two workers that miss the same image at the same time both
 * compute it and both upload the same content; the next trials read it.
 *
 * <p>{@code worker.vision-features} ({@code WORKER_VISION_FEATURES}, default true) turns it off: every trial then
 * runs the vision tower (for latency measurements of the whole prefill, which shared features leave out).
 */
@ApplicationScoped
public class SharedVisionFeatures {
    private static final Logger LOG = Logger.getLogger(SharedVisionFeatures.class);

    private final ObjectStore store;
    private final Path localRoot;
    private final boolean enabled;
    private final Counter storedMeter;
    private final Counter computedMeter;
    private final Counter rejectedMeter;
    /** Weights ids of model folders, by folder and the size and time of its files (hashing 1 GB takes seconds). */
    private final Map<String, String> weightsIds = new ConcurrentHashMap<>();

    @Inject
    public SharedVisionFeatures(
            ObjectStore store,
            WorkerConfig config,
            MeterRegistry registry,
            @ConfigProperty(name = "worker.vision-features", defaultValue = "true") boolean enabled) {
        this.store = store;
        this.localRoot = config.cacheDir().resolve("features");
        this.enabled = enabled;
        this.storedMeter = counter(registry, "stored");
        this.computedMeter = counter(registry, "computed");
        this.rejectedMeter = counter(registry, "rejected");
    }

    private static Counter counter(MeterRegistry registry, String source) {
        return Counter.builder(MetricNames.WORKER_VISION_FEATURES)
                .tag("source", source)
                .register(registry);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The shared features for a trial of the model in {@code modelDir} on {@code dataset}; empty when turned off or
     * when the trial changes its vision tower ({@link VisionFeatures#shareable}: it trains it, or LoRA adapts it).
     *
     * @param options the trial's training options (a training-free trial's: only its compression counts)
     * @param trains whether the trial fine-tunes before it answers
     */
    public Optional<Trial> forTrial(Path modelDir, String dataset, TrainOptions options, boolean trains) {
        if (trains && !VisionFeatures.shareable(options.trainable(), options.lora(), options.compression())) {
            return Optional.empty();
        }
        return forTrial(modelDir, dataset);
    }

    /** The shared features of the model in {@code modelDir} on dataset {@code dataset}; empty when turned off. */
    public Optional<Trial> forTrial(Path modelDir, String dataset) {
        if (!enabled) {
            return Optional.empty();
        }
        return Optional.of(new Trial(modelWeightsId(modelDir), dataset));
    }

    /** {@link Keys#modelWeightsId} of the files in {@code modelDir}. */
    String modelWeightsId(Path modelDir) {
        try {
            StringBuilder version = new StringBuilder(modelDir.toAbsolutePath().toString());
            Map<String, Path> files = new TreeMap<>();
            for (String name : Keys.WEIGHT_FILES) {
                Path f = modelDir.resolve(name);
                if (Files.isRegularFile(f)) {
                    files.put(name, f);
                    version.append('|')
                            .append(name)
                            .append(' ')
                            .append(Files.size(f))
                            .append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis());
                }
            }
            String cached = weightsIds.get(version.toString());
            if (cached != null) {
                return cached;
            }
            Map<String, String> sums = new TreeMap<>();
            for (Map.Entry<String, Path> e : files.entrySet()) {
                sums.put(e.getKey(), CheckpointStore.sha256(e.getValue()));
            }
            String id = Keys.modelWeightsId(sums);
            weightsIds.put(version.toString(), id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the model files in " + modelDir, e);
        }
    }

    /** One trial's view: a {@link VisionFeatureStore} bound to its model's weights and dataset, with its counts. */
    public final class Trial implements VisionFeatureStore {
        private final String weightsId;
        private final String dataset;
        private final Map<Path, String> imageSums = new ConcurrentHashMap<>();
        private final AtomicLong stored = new AtomicLong();
        private final AtomicLong computed = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();

        Trial(String weightsId, String dataset) {
            this.weightsId = weightsId;
            this.dataset = dataset;
        }

        public String weightsId() {
            return weightsId;
        }

        /** The key of {@code image}'s features at this size and precision. */
        public String key(Path image, int height, int width, Precision precision) {
            return Keys.visionFeatures(
                    weightsId,
                    dataset,
                    height,
                    width,
                    precision.id(),
                    image.getFileName().toString());
        }

        @Override
        public Optional<VisionFeatureFile.Features> read(Path image, int height, int width, Precision precision) {
            String key = key(image, height, width, precision);
            String imageSum = imageSha256(image);
            Path local = localRoot.resolve(key);
            if (Files.isRegularFile(local)) {
                try {
                    VisionFeatureFile.Features f =
                            VisionFeatureFile.decode(Files.readAllBytes(local), precision, imageSum);
                    stored.incrementAndGet();
                    storedMeter.increment();
                    return Optional.of(f);
                } catch (VisionFeatureFile.Corrupt | IOException e) {
                    LOG.warnf(
                            "local copy %s of vision features is unusable (%s); reading storage",
                            local, e.getMessage());
                    deleteQuietly(local);
                }
            }
            byte[] bytes;
            try {
                if (!store.exists(key)) {
                    return Optional.empty();
                }
                bytes = store.get(key);
            } catch (StorageException e) { // gone between the two calls, or unreadable now: computing is always right
                LOG.warnf("cannot read %s (%s); computing the features", store.uri(key), e.getMessage());
                return Optional.empty();
            }
            try {
                VisionFeatureFile.Features f = VisionFeatureFile.decode(bytes, precision, imageSum);
                keepLocal(local, bytes);
                stored.incrementAndGet();
                storedMeter.increment();
                return Optional.of(f);
            } catch (VisionFeatureFile.Corrupt e) {
                LOG.warnf("%s is unusable (%s); computing the features again", store.uri(key), e.getMessage());
                rejected.incrementAndGet();
                rejectedMeter.increment();
                return Optional.empty();
            }
        }

        @Override
        public void write(Path image, int height, int width, Precision precision, VisionFeatureFile.Features features) {
            String key = key(image, height, width, precision);
            byte[] bytes = VisionFeatureFile.encode(features, precision, imageSha256(image));
            computed.incrementAndGet();
            computedMeter.increment();
            try {
                store.put(key, bytes, "application/octet-stream");
            } catch (StorageException e) { // the trial goes on with the features it computed; the next one retries
                LOG.warnf("cannot store %s (%s)", store.uri(key), e.getMessage());
                return;
            }
            keepLocal(localRoot.resolve(key), bytes);
        }

        /** Images whose features came from storage (or its local copy) so far. */
        public long stored() {
            return stored.get();
        }

        /** Images whose features this trial computed and uploaded so far. */
        public long computed() {
            return computed.get();
        }

        /** Stored entries refused as corrupt, truncated or made from another image so far. */
        public long rejected() {
            return rejected.get();
        }

        /** Logs what the trial took from storage and what it computed. */
        public void logSummary(String trialId) {
            LOG.infof(
                    "trial %s: vision features of %d images from storage, %d computed and stored (%d stored ones"
                            + " rejected) under %s",
                    trialId, stored(), computed(), rejected(), store.uri(Keys.features(weightsId)));
        }

        private String imageSha256(Path image) {
            return imageSums.computeIfAbsent(image, p -> {
                try {
                    return CheckpointStore.sha256(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read image " + p, e);
                }
            });
        }
    }

    private static void keepLocal(Path local, byte[] bytes) {
        try {
            Files.createDirectories(local.getParent());
            Path partial = local.resolveSibling(
                    local.getFileName() + ".partial-" + ProcessHandle.current().pid() + "-"
                            + Thread.currentThread().getId());
            Files.write(partial, bytes);
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // only a copy: storage has the entry
            LOG.warnf("cannot keep a local copy %s (%s)", local, e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s (%s)", p, e.getMessage());
        }
    }
}
