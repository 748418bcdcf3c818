package ai.vtc.florence2.train;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The LoRA trainer's "sample every n steps": the first {@value SpecDefaults#SAMPLE_COUNT} training examples (the same
 * ones at every step and after a resume) answered greedily with the training prompt and the inference compression, so
 * a researcher sees what the model says while it trains. The answers so far go into every checkpoint as
 * {@value #FILE} (a resumed run keeps the earlier ones) and into {@code workDir/}{@value #FILE}.
 */
final class TrainingSamples {

    static final String FILE = "samples.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Example> examples;
    private final EvalOptions options;
    private final List<TrainingSample> recorded = new ArrayList<>();

    TrainingSamples(List<Example> training, String promptTemplate) {
        this.examples = List.copyOf(training.subList(0, Math.min(SpecDefaults.SAMPLE_COUNT, training.size())));
        this.options = EvalOptions.defaults()
                .withNumBeams(1)
                .withPromptTemplate(promptTemplate)
                .withBatchSize(Math.max(1, examples.size()));
    }

    /** Answers the fixed examples now; returns this step's samples (also recorded). */
    List<TrainingSample> sample(Florence2Pipeline pipeline, Compression compression, long step) {
        Map<Long, String> answers =
                VqaAnswerer.answer(pipeline, examples, options, compression, VqaAnswerer.Listener.NONE);
        List<TrainingSample> now = examples.stream()
                .map(e ->
                        new TrainingSample(step, e.questionId(), e.question(), e.answer(), answers.get(e.questionId())))
                .toList();
        recorded.addAll(now);
        return now;
    }

    List<TrainingSample> recorded() {
        return List.copyOf(recorded);
    }

    /** Restores the samples a checkpoint holds (none when it has no {@value #FILE}). */
    void restore(Path checkpointDir) {
        recorded.clear();
        recorded.addAll(read(checkpointDir.resolve(FILE)));
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), recorded);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A samples file; empty when there is none. */
    static List<TrainingSample> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<List<TrainingSample>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
