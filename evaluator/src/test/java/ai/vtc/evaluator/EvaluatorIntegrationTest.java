package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.Topics;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.cli.VqaCommand;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The evaluator on the real broker, S3 server and PostgreSQL, with a synthetic VQAv2-format subset. */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluatorIntegrationTest {
    private static final String DATASET = "synth-eval";
    private static final String SWEEP = "sweep-eval-test";

    private final StackConfig stack = TestStack.get().config();
    private final ObjectStore store = new ObjectStore(
            stack.s3Endpoint(),
            stack.s3().accessKey(),
            stack.s3().secretKey(),
            stack.s3().bucket());
    private Path dir;
    private VqaAnnotations subsetAnnotations;
    private SubsetManifest subset;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> evaluations;
    private KafkaConsumer<String, String> deadLetters;

    @BeforeAll
    void uploadDataset() throws Exception {
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
        store.put(
                Keys.subset(DATASET, "half"), Json.write(subset).getBytes(StandardCharsets.UTF_8), "application/json");
        subsetAnnotations = all.select(ids);
        subsetAnnotations.write(dir.resolve("subset-annotations.json"));

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        evaluations = consumer(Topics.EVALUATIONS);
        deadLetters = consumer(Topics.TRIALS_DLQ);
    }

    @AfterAll
    void close() {
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

    @Test
    void evaluatesLikeTheVqaCommandStoresOncePublishesAndExposesMetrics() throws Exception {
        String trial = "trial-good-" + UUID.randomUUID().toString().substring(0, 8);
        Path results = dir.resolve(trial + ".json");
        SyntheticVqa.predictions(subsetAnnotations, 5, 0.6).write(results);
        store.putFile(Keys.predictions(trial), results);

        publish(ready(trial, new Compression("avg_pool", 4, 2, true), 5));
        EvaluationEvent event = awaitEvaluation(trial);
        EvaluationEvent.Completed completed = assertInstanceOf(EvaluationEvent.Completed.class, event);

        var expected = Json.mapper().readTree(vqaEvaluate(dir.resolve("subset-annotations.json"), results));
        assertEquals(expected.get("overall").asDouble(), completed.overall());
        assertEquals(
                expected.get("perAnswerType").get("yes/no").asDouble(),
                completed.perAnswerType().get("yes/no"));
        assertEquals(subset.ids("val").size(), completed.questions());
        EvaluationEntity stored = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(trial));
        assertEquals(completed.overall(), stored.overall);
        assertEquals(
                Json.mapper().readTree(expected.get("perQuestionType").toString()),
                Json.mapper().readTree(stored.perQuestionType));

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("vqa_accuracy{answer_type=\"all\",factor=\"4\",mode=\"avg_pool\",seed=\"5\","
                        + "sorted=\"true\",stage=\"2\",sweep=\"" + SWEEP + "\"} " + completed.overall()))
                .body(containsString("vqa_evaluations_total{outcome=\"completed\"}"));

        // A duplicate PredictionsReady: the stored result is announced again, nothing is stored twice.
        publish(ready(trial, new Compression("avg_pool", 4, 2, true), 5));
        EvaluationEvent again = awaitEvaluation(trial);
        assertEquals(completed.overall(), ((EvaluationEvent.Completed) again).overall());
        long rows = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.count("trialId", trial));
        assertEquals(1, rows);
    }

    @Test
    void baselineDeltaLeaderboardCsvAndPareto() throws Exception {
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
                    sweep, trial, r.predictionsUri(), r.dataset(), r.split(), r.compression(), tokens[i], 0));
            assertInstanceOf(EvaluationEvent.Completed.class, awaitEvaluation(trial));
        }
        given().get("/sweeps/" + sweep + "/leaderboard")
                .then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("[0].mode", org.hamcrest.Matchers.equalTo("none"))
                .body("[2].delta", org.hamcrest.Matchers.lessThan(0f));
        given().get("/sweeps/" + sweep + "/results.csv")
                .then()
                .statusCode(200)
                .body(containsString("trial_id,sweep_id,status,mode"))
                .body(containsString(sweep + "-t1," + sweep + ",completed,avg_pool,2,0,false,0,9,"));
        // Fewer tokens cost accuracy here, so every trial is on the front.
        given().get("/sweeps/" + sweep + "/pareto")
                .then()
                .statusCode(200)
                .body("visual_tokens", org.hamcrest.Matchers.contains(3, 9, 17));
        given().get("/q/metrics")
                .then()
                .body(containsString("vqa_accuracy_delta{answer_type=\"all\",factor=\"2\",mode=\"avg_pool\""));
    }

    @Test
    void predictionsThatDoNotMatchTheSubsetFailWithTheReasonAndTheConsumerGoesOn() throws Exception {
        // Missing questions: drop the first five predictions.
        String missing = "trial-missing-" + UUID.randomUUID().toString().substring(0, 8);
        VqaResults full = SyntheticVqa.predictions(subsetAnnotations, 1, 1.0);
        VqaResults partial = VqaResults.of(full.asList().subList(5, full.size()));
        Path partialFile = dir.resolve(missing + ".json");
        partial.write(partialFile);
        store.putFile(Keys.predictions(missing), partialFile);
        publish(ready(missing, Compression.none(), 0));
        EvaluationEvent.Failed failed = assertInstanceOf(EvaluationEvent.Failed.class, awaitEvaluation(missing));
        assertTrue(failed.reason().contains("5 questions without a prediction"), failed.reason());
        assertTrue(failed.reason().contains(Long.toString(full.questionId(0))), failed.reason());

        // Malformed JSON.
        String malformed = "trial-malformed-" + UUID.randomUUID().toString().substring(0, 8);
        store.put(
                Keys.predictions(malformed),
                "[{\"question_id\": 1, \"answer\": ".getBytes(StandardCharsets.UTF_8),
                "application/json");
        publish(ready(malformed, Compression.none(), 0));
        EvaluationEvent.Failed bad = assertInstanceOf(EvaluationEvent.Failed.class, awaitEvaluation(malformed));
        assertTrue(bad.reason().contains(store.uri(Keys.predictions(malformed))), bad.reason());
        given().get("/evaluations/" + malformed)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("failed"));

        // An unreadable record goes to the DLQ with its reason, and the next record is still evaluated.
        producer.send(new ProducerRecord<>(Topics.PREDICTIONS, "garbage", "{not json"))
                .get();
        ConsumerRecord<String, String> dead = await(deadLetters, r -> "{not json".equals(r.value()));
        assertTrue(
                new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8)
                        .contains("PredictionsReady"));
        String after = "trial-after-" + UUID.randomUUID().toString().substring(0, 8);
        Path ok = dir.resolve(after + ".json");
        full.write(ok);
        store.putFile(Keys.predictions(after), ok);
        publish(ready(after, Compression.none(), 0));
        assertInstanceOf(EvaluationEvent.Completed.class, awaitEvaluation(after));
    }

    private PredictionsReady ready(String trial, Compression compression, long seed) {
        return new PredictionsReady(
                SWEEP,
                trial,
                store.uri(Keys.predictions(trial)),
                new DatasetRef(DATASET, "half", "val", subset.sha256()),
                "val",
                compression,
                compression.visualTokensKept(16),
                seed);
    }

    private void publish(PredictionsReady ready) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PREDICTIONS, ready.trialId(), Json.write(ready)))
                .get();
    }

    private EvaluationEvent awaitEvaluation(String trial) {
        return Json.read(await(evaluations, r -> trial.equals(r.key())).value(), EvaluationEvent.class);
    }

    private static ConsumerRecord<String, String> await(
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

    /** {@code vqa evaluate} on the same files, its standard output. */
    private static String vqaEvaluate(Path annotations, Path results) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(
                    0,
                    VqaCommand.run(
                            "evaluate", "--annotations", annotations.toString(), "--results", results.toString()));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
