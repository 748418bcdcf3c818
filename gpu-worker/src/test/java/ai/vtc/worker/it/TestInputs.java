package ai.vtc.worker.it;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The tiny Florence-2 and a synthetic VQAv2-format dataset in the bucket, as the integration tests' trials use them. */
final class TestInputs {
    private TestInputs() {}

    /** Saves the tiny demo model under {@code dir/model} and uploads its files as {@code models/<model>/}. */
    static void uploadTinyModel(ObjectStore store, String model, Path dir) throws Exception {
        Path folder = dir.resolve("model");
        try (Florence2Pipeline tiny = Florence2Pipeline.createTinyDemo(3)) {
            tiny.save(folder);
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                store.putFile(Keys.model(model) + f.getFileName(), f);
            }
        }
    }

    /**
     * Uploads the {@code train} and {@code val} splits of {@code data} (questions, annotations, images) and the
     * dataset's manifest; returns the question ids of each split, sorted, for its subsets.
     */
    static Map<String, List<Long>> uploadDataset(
            ObjectStore store, String dataset, SyntheticVqa.Generated data, String source) throws Exception {
        Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
        Map<String, List<Long>> ids = new LinkedHashMap<>();
        for (String name : List.of("train", "val")) {
            SyntheticVqa.Split split = data.split(name);
            store.putFile(Keys.questions(dataset, name), split.questionsFile());
            store.putFile(Keys.annotations(dataset, name), split.annotationsFile());
            try (Stream<Path> images = Files.list(split.imagesDir())) {
                for (Path image : images.toList()) {
                    store.putFile(Keys.image(dataset, image.getFileName().toString()), image);
                }
            }
            splits.put(
                    name,
                    new DatasetManifest.Split(
                            split.questions(), split.images(), split.imagePrefix(), split.imageExtension()));
            long[] questionIds = VqaQuestions.read(split.questionsFile()).questionIds();
            ids.put(name, Arrays.stream(questionIds).sorted().boxed().toList());
        }
        store.put(
                Keys.datasetManifest(dataset),
                Json.write(new DatasetManifest(dataset, splits, source, Instant.now()))
                        .getBytes(StandardCharsets.UTF_8),
                "application/json");
        return ids;
    }
}
