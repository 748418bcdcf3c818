package ai.vtc.evaluator;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.Training;
import ai.vtc.contracts.TrialCost;
import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A synthetic VQAv2 subset in the stack's S3, and Kafka clients to drive the evaluator from outside. */
final class EvaluationFixture implements AutoCloseable {
    static final String DATASET = "synth-eval";
    static final String SWEEP = "sweep-eval-test";

    final StackConfig stack = TestStack.get().config();
    final ObjectStore store = new ObjectStore(
            stack.s3Endpoint(),
            stack.s3().accessKey(),
            stack.s3().secretKey(),
            stack.s3().bucket());
    final Path dir;
    final VqaAnnotations subsetAnnotations;
    final SubsetManifest subset;
    /** An evaluation subset ({@code eval_subset}) inside {@link #subset}: every other question of it. */
    final SubsetManifest quarter;

    final VqaAnnotations quarterAnnotations;
    final KafkaProducer<String, String> producer;
    final KafkaConsumer<String, String> evaluations;
    final KafkaConsumer<String, String> deadLetters;

    EvaluationFixture() throws Exception {
        dir = Files.createTempDirectory("evaluator-test");
        SyntheticVqa.Generated generated = SyntheticVqa.generate(
                dir,
                SyntheticVqa.Options.defaults().withQuestions(400).withSeed(11).withRenderImages(false));
        SyntheticVqa.Split val = generated.split("val");
        store.putFile(Keys.questions(DATASET, "val"), val.questionsFile());
        store.putFile(Keys.annotations(DATASET, "val"), val.annotationsFile());
        VqaAnnotations all = VqaAnnotations.read(val.annotationsFile());
        long[] ids = Arrays.stream(all.questionIds())
                .filter(id -> id % 2 == 0)
                .sorted()
                .toArray();
        subset = new SubsetManifest(
                        DATASET,
                        "half",
                        0,
                        0.5,
                        Map.of("val", Arrays.stream(ids).boxed().toList()),
                        null)
                .seal();
        store.put(Keys.subset(DATASET, "half"), subset.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
        subsetAnnotations = all.select(ids);
        subsetAnnotations.write(dir.resolve("subset-annotations.json"));
        long[] quarterIds = Arrays.stream(ids).filter(id -> id % 4 == 0).toArray();
        quarter = new SubsetManifest(
                        DATASET,
                        "quarter",
                        0,
                        0.25,
                        Map.of("val", Arrays.stream(quarterIds).boxed().toList()),
                        null)
                .seal();
        store.put(
                Keys.subset(DATASET, "quarter"), quarter.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
        quarterAnnotations = all.select(quarterIds);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        evaluations = consumer(Topics.EVALUATIONS);
        deadLetters = consumer(Topics.TRIALS_DLQ);
    }

    @Override
    public void close() {
        producer.close();
        evaluations.close();
        deadLetters.close();
    }

    private KafkaConsumer<String, String> consumer(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "evaluator-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** A fine-tuned trial of {@link #SWEEP} without a cost. */
    PredictionsReady ready(String trial, Compression compression, long seed) {
        return ready(SWEEP, trial, compression, seed, Training.FINE_TUNE, null);
    }

    /** The train settings' identity of every fine-tuned trial of these tests. */
    static final String TRAIN_SETTINGS = "train-settings-a";

    /** A trial of {@code sweep} as the worker announces it now: training, train settings' identity and cost. */
    PredictionsReady ready(
            String sweep, String trial, Compression compression, long seed, Training training, TrialCost cost) {
        return new PredictionsReady(
                sweep,
                trial,
                store.uri(Keys.predictions(trial)),
                new DatasetRef(DATASET, "half", "val", subset.sha256()),
                "val",
                compression,
                new ModelFacts(3, 4, 4).visualTokens(compression),
                seed,
                training,
                training == Training.FINE_TUNE ? TRAIN_SETTINGS : null,
                cost);
    }

    /** A cost with these prefill GFLOPs and, unless null, this prefill latency. */
    static TrialCost cost(int visualTokens, double prefillGflops, Double prefillMs) {
        return new TrialCost(
                visualTokens,
                12.0,
                new TrialCost.Gflops(prefillGflops / 2, prefillGflops / 2 - 0.5, 0.5, 0.25, prefillGflops),
                prefillMs == null ? null : new TrialCost.Latency(prefillMs, prefillMs / 10, 16, 3, "cpu()", "fp32"));
    }

    /**
     * Writes predictions that answer the first {@code percentRight}% of the subset's questions with their most common
     * ground-truth answer and the others with an answer no annotator gave, and publishes {@code ready} for them: the
     * accuracies of such trials are ordered as their percentages, whatever the annotators' noise.
     */
    void predictFirst(PredictionsReady ready, int percentRight) throws Exception {
        VqaResults.Builder answers = VqaResults.builder();
        int right = Math.round(subsetAnnotations.size() * percentRight / 100f);
        for (int i = 0; i < subsetAnnotations.size(); i++) {
            answers.add(
                    subsetAnnotations.questionId(i),
                    i < right ? subsetAnnotations.multipleChoiceAnswer(i) : "no annotator says this");
        }
        publish(ready, answers.build());
    }

    /**
     * Writes predictions that answer a fraction {@code correct} of the subset right (drawn with {@code draw}), and
     * publishes {@code ready} for them.
     */
    void predict(PredictionsReady ready, long draw, double correct) throws Exception {
        publish(ready, SyntheticVqa.predictions(subsetAnnotations, draw, correct));
    }

    /** Writes {@code predictions} where {@code ready} says they are (and in {@link #dir}), then publishes it. */
    void publish(PredictionsReady ready, VqaResults predictions) throws Exception {
        Path results = dir.resolve(ready.trialId() + ".json");
        predictions.write(results);
        store.putFile(Keys.predictions(ready.trialId()), results);
        publish(ready);
    }

    void publish(PredictionsReady ready) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PREDICTIONS, ready.trialId(), Json.write(ready)))
                .get();
    }

    /** Every evaluation read so far, per trial, in topic order. */
    private final Map<String, List<EvaluationEvent>> received = new HashMap<>();
    /** Per trial: how many of its received evaluations a caller has been given. */
    private final Map<String, Integer> given = new HashMap<>();

    /** The trial's next evaluation (one not returned before). */
    EvaluationEvent awaitEvaluation(String trial) {
        return awaitEvaluation(trial, e -> true);
    }

    /** The trial's next evaluation that {@code match}es; those before it are passed over. */
    EvaluationEvent awaitEvaluation(String trial, java.util.function.Predicate<EvaluationEvent> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<EvaluationEvent> events = received.getOrDefault(trial, List.of());
            for (int i = given.getOrDefault(trial, 0); i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    given.put(trial, i + 1);
                    return events.get(i);
                }
            }
            for (ConsumerRecord<String, String> r : evaluations.poll(Duration.ofMillis(300))) {
                received.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(Json.read(r.value(), EvaluationEvent.class));
            }
        }
        throw new AssertionError("no matching evaluation of " + trial + " within 60 s; received "
                + received.getOrDefault(trial, List.of()));
    }

    static ConsumerRecord<String, String> await(
            KafkaConsumer<String, String> consumer,
            java.util.function.Predicate<ConsumerRecord<String, String>> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                if (match.test(r)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no matching record within 60 s");
    }

    /**
     * Evaluates three fine-tuned trials of a new sweep (none, avg_pool f=2, learnable_pool f=8) with their costs and
     * returns the sweep id.
     */
    String evaluateSweep() throws Exception {
        String sweep = "sweep-rest-" + UUID.randomUUID().toString().substring(0, 8);
        double[] correct = {0.9, 0.7, 0.5};
        Compression[] modes = {
            Compression.none(), new Compression("avg_pool", 2, 0, false), new Compression("learnable_pool", 8, 0, true)
        };
        int[] tokens = {17, 9, 3};
        for (int i = 0; i < 3; i++) {
            String trial = sweep + "-t" + i;
            Path results = dir.resolve(trial + ".json");
            SyntheticVqa.predictions(subsetAnnotations, 100 + i, correct[i]).write(results);
            store.putFile(Keys.predictions(trial), results);
            PredictionsReady r = ready(trial, modes[i], 0);
            publish(new PredictionsReady(
                    sweep,
                    trial,
                    r.predictionsUri(),
                    r.dataset(),
                    r.split(),
                    r.compression(),
                    tokens[i],
                    0,
                    Training.FINE_TUNE,
                    TRAIN_SETTINGS,
                    cost(tokens[i], tokens[i] / 4.0, tokens[i] * 2.0)));
            assertInstanceOf(EvaluationEvent.Completed.class, awaitEvaluation(trial));
        }
        return sweep;
    }
}
