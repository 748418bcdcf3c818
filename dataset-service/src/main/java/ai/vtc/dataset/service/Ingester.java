package ai.vtc.dataset.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.dataset.config.DatasetConfig;
import ai.vtc.dataset.metrics.IngestMetrics;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.IdMismatchException;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaFormatException;
import ai.vtc.vqa.VqaQuestions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a VQAv2-format dataset from a {@link DatasetSource} into the object-storage layout after validating it:
 * every JSON file parses, questions and annotations correspond one to one, ids are unique across splits, every
 * image a question names exists under a COCO name and decodes. Uploads the images, the JSON files and the requested
 * subsets, and returns the manifest, which the caller writes last.
 */
@ApplicationScoped
public class Ingester {
    private final ObjectStore store;
    private final DatasetConfig config;
    private final IngestMetrics metrics;
    private final DatasetCatalog catalog;

    public Ingester(ObjectStore store, DatasetConfig config, IngestMetrics metrics, DatasetCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
    }

    /** A split read and checked, with the local copies of its files. */
    private record ReadSplit(SplitFiles files, Path questionsFile, Path annotationsFile, VqaQuestions questions) {}

    /** One image to upload and the split that needs it. */
    private record Upload(String split, ImagePlan.Image image) {}

    /** The validated and uploaded dataset and the subsets written. */
    public record Ingested(DatasetManifest manifest, Map<String, VqaQuestions> splits) {}

    public Ingested ingest(String dataset, DatasetSource source, String sourceLabel, JobProgress progress)
            throws IOException {
        progress.phase("scan", 0);
        List<String> files = source.files();
        List<SplitFiles> layout = SourceLayout.splits(files, source.describe());

        progress.phase("validate", 2L * layout.size());
        List<ReadSplit> splits = new ArrayList<>();
        for (SplitFiles split : layout) {
            splits.add(read(split, source, progress));
        }
        checkDistinctQuestions(splits, source);

        Map<String, ImagePlan> plans = new LinkedHashMap<>();
        List<Upload> uploads = new ArrayList<>();
        Map<String, String> pathOfName = new HashMap<>();
        for (ReadSplit split : splits) {
            ImagePlan plan = ImagePlan.of(split.files(), split.questions(), files, source.describe());
            plans.put(split.files().name(), plan);
            for (ImagePlan.Image image : plan.images()) {
                String earlier = pathOfName.putIfAbsent(image.name().fileName(), image.path());
                if (earlier == null) {
                    uploads.add(new Upload(split.files().name(), image));
                } else if (!earlier.equals(image.path())) {
                    throw new IngestProblem("image file name " + image.name().fileName() + " is used by two splits, as "
                            + earlier + " and " + image.path() + " in " + source.describe()
                            + ": images of all splits share one folder in the dataset");
                }
            }
        }

        deleteLeftovers(dataset);
        progress.phase("images", uploads.size());
        uploadImages(dataset, source, uploads, progress);

        progress.phase("files", 2L * splits.size());
        Map<String, DatasetManifest.Split> manifestSplits = new LinkedHashMap<>();
        Map<String, VqaQuestions> questions = new LinkedHashMap<>();
        for (ReadSplit split : splits) {
            String name = split.files().name();
            store.putFile(Keys.questions(dataset, name), split.questionsFile());
            progress.advance(1);
            store.putFile(Keys.annotations(dataset, name), split.annotationsFile());
            progress.advance(1);
            ImagePlan plan = plans.get(name);
            manifestSplits.put(
                    name,
                    new DatasetManifest.Split(
                            split.questions().size(), plan.images().size(), plan.prefix(), plan.extension()));
            questions.put(name, split.questions());
        }
        return new Ingested(new DatasetManifest(dataset, manifestSplits, sourceLabel, Instant.now()), questions);
    }

    private ReadSplit read(SplitFiles split, DatasetSource source, JobProgress progress) throws IOException {
        Path questionsFile = source.local(split.questionsFile());
        VqaQuestions questions;
        try {
            questions = VqaQuestions.read(questionsFile);
        } catch (VqaFormatException e) {
            throw problem(split, source.location(split.questionsFile()), e);
        }
        progress.advance(1);
        Path annotationsFile = source.local(split.annotationsFile());
        VqaAnnotations annotations;
        try {
            annotations = VqaAnnotations.read(annotationsFile);
        } catch (VqaFormatException e) {
            throw problem(split, source.location(split.annotationsFile()), e);
        }
        progress.advance(1);
        try {
            annotations.checkMatches(questions);
        } catch (IdMismatchException e) {
            throw new IngestProblem("split '" + split.name() + "': " + source.location(split.questionsFile()) + " and "
                    + source.location(split.annotationsFile()) + ": " + e.getMessage());
        }
        return new ReadSplit(split, questionsFile, annotationsFile, questions);
    }

    /** The reader names the local copy; the message names the file where it came from. */
    private static IngestProblem problem(SplitFiles split, String location, VqaFormatException e) {
        String message = e.getMessage();
        if (message.startsWith(e.source())) {
            message = location + message.substring(e.source().length());
        }
        return new IngestProblem("split '" + split.name() + "': " + message, e);
    }

    /** VQAv2 question ids are unique over all splits; a trial names questions by id alone. */
    private static void checkDistinctQuestions(List<ReadSplit> splits, DatasetSource source) {
        for (int a = 0; a < splits.size(); a++) {
            for (int b = a + 1; b < splits.size(); b++) {
                VqaQuestions first = splits.get(a).questions();
                VqaQuestions second = splits.get(b).questions();
                for (int q = 0; q < second.size(); q++) {
                    long id = second.questionId(q);
                    if (first.contains(id)) {
                        throw new IngestProblem("duplicate question_id " + id + ": in "
                                + source.location(splits.get(a).files().questionsFile()) + " and in "
                                + source.location(splits.get(b).files().questionsFile()));
                    }
                }
            }
        }
    }

    /** Objects of an earlier ingest of this name that did not finish (its manifest was never written). */
    private void deleteLeftovers(String dataset) {
        if (store.exists(Keys.datasetManifest(dataset))) {
            throw new DatasetConflict("dataset '" + dataset + "' appeared in object storage during the ingest");
        }
        catalog.deleteObjects(dataset);
    }

    /** Reads, decodes and uploads the images on {@link DatasetConfig#ingestThreads()} threads; stops at an error. */
    private void uploadImages(String dataset, DatasetSource source, List<Upload> uploads, JobProgress progress) {
        int threads = Math.max(1, Math.min(config.ingestThreads(), uploads.size()));
        if (uploads.isEmpty()) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "dataset-images"));
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    int i;
                    while (failure.get() == null && (i = next.getAndIncrement()) < uploads.size()) {
                        try {
                            upload(dataset, source, uploads.get(i));
                            progress.advance(1);
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // waiting for the image threads
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IngestProblem("interrupted while uploading images"));
        } finally {
            pool.shutdownNow();
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed != null) {
            throw new IngestProblem("uploading images failed: " + failed, failed);
        }
    }

    private void upload(String dataset, DatasetSource source, Upload upload) {
        ImagePlan.Image image = upload.image();
        String what = "split '" + upload.split() + "': image " + source.location(image.path()) + " (image_id "
                + image.name().imageId() + ", question_id " + image.questionId() + ")";
        byte[] bytes;
        try {
            bytes = source.read(image.path());
        } catch (IOException e) {
            throw new IngestProblem(what + " cannot be read: " + e.getMessage(), e);
        }
        try {
            ImageCheck.decode(bytes, config.maxImagePixels());
        } catch (IOException e) {
            throw new IngestProblem(what + " is unreadable: " + e.getMessage(), e);
        }
        store.put(
                Keys.image(dataset, image.name().fileName()),
                bytes,
                image.name().contentType());
        metrics.imageIngested(bytes.length);
    }
}
