package ai.vtc.worker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvalSettings;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.LoraSettings;
import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrainSettings;
import ai.vtc.contracts.TrialControl;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.cli.Florence2Command;
import ai.vtc.florence2.train.EvalOptions;
import ai.vtc.florence2.train.VqaAnswerer;
import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.synth.SyntheticVqa;
import ai.vtc.worker.TestWorker;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.messaging.EventPublisher;
import ai.vtc.worker.service.Florence2TrialRunner;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.StorageInputs;
import ai.vtc.worker.service.TrialExecutor;
import ai.vtc.worker.service.TrialInputs;
import ai.vtc.worker.service.TrialRunner;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged workers against the real broker and S3 server, with the tiny Florence-2 and a small synthetic
 * VQAv2-format subset: trials complete once, a worker killed with SIGKILL hands its trial to the other one, which
 * resumes from the checkpoint, bad records go to the DLQ, a corrupt newest checkpoint falls back to the previous one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerIT {
    private static final String MODEL = "tiny-worker-it";
    private static final String DATASET = "synth-worker-it";
    private static final Duration WAIT = Duration.ofMinutes(4);

    private final StackConfig stack = TestStack.get().config();
    private final ObjectStore store = TestWorker.objectStore();
    private Path dir;
    private SubsetManifest subset;
    private SubsetManifest heldOut;
    private SyntheticVqa.Generated data;
    private KafkaProducer<String, String> producer;
    private Records records;
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();

    @BeforeAll
    void setUp() throws Exception {
        dir = Files.createDirectories(Path.of("target/worker-it").toAbsolutePath());
        uploadModel();
        uploadDataset();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        records = new Records(stack, List.of(Topics.TRIAL_EVENTS, Topics.PREDICTIONS, Topics.TRIALS_DLQ));
        for (String id : List.of("worker-a", "worker-b")) {
            workers.put(id, WorkerProcess.start(id, stack, dir));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        for (WorkerProcess w : workers.values()) {
            w.close();
        }
        records.close();
        producer.close();
    }

    private void uploadModel() throws Exception {
        TestInputs.uploadTinyModel(store, MODEL, dir);
    }

    private void uploadDataset() throws Exception {
        data = SyntheticVqa.generate(
                dir.resolve("data"),
                SyntheticVqa.Options.defaults()
                        .withImages(8, 4)
                        .withQuestionsPerImage(3)
                        .withImageSize(64)
                        .withSeed(5));
        Map<String, List<Long>> ids = TestInputs.uploadDataset(store, DATASET, data, "worker IT");
        subset = new SubsetManifest(DATASET, "all", 0, 1.0, ids, null).seal();
        store.put(Keys.subset(DATASET, "all"), Json.write(subset).getBytes(StandardCharsets.UTF_8), "application/json");
        List<Long> val = ids.get("val");
        heldOut = new SubsetManifest(DATASET, "held-out", 0, 0.5, Map.of("val", val.subList(0, val.size() / 2)), null)
                .seal();
        store.put(
                Keys.subset(DATASET, "held-out"),
                Json.write(heldOut).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private TrialSpec spec(Compression compression, int steps, int checkpointEvery, String model) {
        return new TrialSpec(
                model,
                new DatasetRef(DATASET, "all", "val", subset.sha256()),
                compression,
                new TrainSettings(
                        "all", null, steps, 4, 1, 1e-3, "adamw", 0.01, "linear", 0, 1.0, checkpointEvery, List.of()),
                new EvalSettings(1, 4, 0, "<VQA>{question}", 8),
                7);
    }

    private TrialRequested request(TrialSpec spec, int attempt) {
        return new TrialRequested("sweep-worker-it", TrialIds.of(spec), spec, subset.sha256(), attempt);
    }

    private void publish(TrialRequested t) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRIALS, t.trialId(), Json.write(t)))
                .get();
    }

    @Test
    @Order(0)
    void aTrialsDownloadedCheckpointIsAModelFolderThatAnswersAsTheWorkerDid() throws Exception {
        // one question per batch, so that answering one question at a time on the command line is the same computation
        TrialSpec spec = new TrialSpec(
                MODEL,
                new DatasetRef(DATASET, "all", "val", subset.sha256()),
                new Compression("learnable_pool", 2, 2, true),
                new TrainSettings("all", null, 4, 4, 1, 1e-3, "adamw", 0.01, "linear", 0, 1.0, 4, List.of()),
                new EvalSettings(1, 6, 0, "<VQA>{question}", 1),
                7);
        TrialRequested trial = request(spec, 1);
        publish(trial);
        records.awaitEvent(trial.trialId(), TrialEvent.Completed.class, e -> true, WAIT);

        // the checkpoint as a download gets it: every file of the newest complete step, checked against state.json
        String prefix = Keys.checkpoint(trial.trialId(), 4);
        Path folder = Files.createDirectories(dir.resolve("round-trip").resolve(trial.trialId()));
        var sums = Json.mapper().readTree(store.get(prefix + "state.json")).path("sha256");
        assertEquals(
                List.of(
                        "config.json",
                        "model.safetensors",
                        "optimizer.safetensors",
                        "preprocessor_config.json",
                        "tokenizer.json"),
                iterate(sums.fieldNames()));
        for (String name : iterate(sums.fieldNames())) {
            store.download(prefix + name, folder.resolve(name));
            assertEquals(sums.path(name).asText(), TrialIds.sha256Hex(Files.readAllBytes(folder.resolve(name))), name);
        }
        var text =
                Json.mapper().readTree(folder.resolve("config.json").toFile()).path("text_config");
        assertEquals("learnable_pool", text.path("compression_mode").asText());
        assertEquals(2, text.path("compression_factor").asInt());
        assertEquals(2, text.path("compression_stage").asInt());
        assertTrue(text.path("compression_sorted").asBoolean());

        // florence2 generate --model <the folder>, without compression options: the recorded compression applies
        VqaResults worker =
                VqaResults.read(new ByteArrayInputStream(store.get(Keys.predictions(trial.trialId()))), "worker");
        SyntheticVqa.Split val = data.split("val");
        VqaQuestions questions = VqaQuestions.read(val.questionsFile());
        for (int i = 0; i < 4; i++) {
            long questionId = worker.get(i).questionId();
            int q = questions.indexOf(questionId);
            Path image = val.imagesDir().resolve(val.imageFileName(questions.imageId(q)));
            String answer = generate(
                    "generate",
                    "--model",
                    folder.toString(),
                    "--image",
                    image.toString(),
                    "--prompt",
                    "<VQA>" + questions.question(q),
                    "--num-beams",
                    "1",
                    "--max-new-tokens",
                    "6",
                    "--no-repeat-ngram-size",
                    "0");
            assertEquals(worker.get(i).answer().strip(), answer.strip(), "question " + questionId);
        }
    }

    /** Runs the florence2 command line in this JVM and returns what it printed. */
    private static String generate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            exit = Florence2Command.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit, err.toString());
        return out + stdout.toString(StandardCharsets.UTF_8);
    }

    private static List<String> iterate(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    @Order(1)
    void fourTrialsOnTwoWorkersCompleteOnceWithDownloadableCheckpoints() throws Exception {
        List<TrialRequested> trials = List.of(
                request(spec(Compression.none(), 4, 2, MODEL), 1),
                request(spec(new Compression("avg_pool", 2, 0, false), 4, 2, MODEL), 1),
                request(spec(new Compression("learnable_pool", 2, 2, true), 4, 2, MODEL), 1),
                request(spec(new Compression("avg_pool", 4, 1, true), 4, 2, MODEL), 1));
        for (TrialRequested t : trials) {
            publish(t);
        }
        for (TrialRequested t : trials) {
            TrialEvent.Completed done = records.awaitEvent(t.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
            assertEquals(4, done.steps());
            assertEquals(
                    List.of(
                            "predictions/" + t.trialId() + "/_DONE",
                            "predictions/" + t.trialId() + "/metrics.json",
                            "predictions/" + t.trialId() + "/predictions.json"),
                    store.list("predictions/" + t.trialId() + "/"));
            var predictions = Json.mapper().readTree(store.get(Keys.predictions(t.trialId())));
            assertEquals(subset.ids("val").size(), predictions.size(), "one answer per val question");
            VqaResults read =
                    VqaResults.read(new ByteArrayInputStream(store.get(Keys.predictions(t.trialId()))), t.trialId());
            assertEquals(predictions.size(), read.size(), "the evaluator's reader takes the predictions");
            assertEquals(1, records.predictions(t.trialId()).size());
            List<String> checkpoints = store.list(Keys.checkpoints(t.trialId()));
            assertTrue(checkpoints.contains(Keys.checkpoint(t.trialId(), 2) + "state.json"), checkpoints.toString());
            assertTrue(
                    checkpoints.contains(Keys.checkpoint(t.trialId(), 4) + "model.safetensors"),
                    checkpoints.toString());
            String key = Keys.checkpoint(t.trialId(), 4) + "model.safetensors";
            byte[] viaUrl = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(store.presignedGet(key, 300)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .body();
            assertArrayEquals(store.get(key), viaUrl, "the checkpoint downloads through a presigned URL");
        }
        // A done trial delivered again is announced again, not recomputed.
        TrialRequested again = trials.get(0);
        long startedBefore = records.events(again.trialId()).stream()
                .filter(e -> e instanceof TrialEvent.Started)
                .count();
        publish(again);
        records.await(
                r -> r.topic().equals(Topics.PREDICTIONS)
                        && again.trialId().equals(r.key())
                        && records.predictions(again.trialId()).size() == 2,
                WAIT);
        assertEquals(
                startedBefore,
                records.events(again.trialId()).stream()
                        .filter(e -> e instanceof TrialEvent.Started)
                        .count());
    }

    @Test
    @Order(2)
    void aKilledWorkersTrialResumesElsewhereFromItsCheckpointWithTheSameFinalLoss() throws Exception {
        TrialSpec spec = spec(new Compression("avg_pool", 2, 1, false), 24, 4, MODEL);
        TrialRequested trial = request(spec, 1);
        publish(trial);
        TrialEvent.CheckpointSaved saved =
                records.awaitEvent(trial.trialId(), TrialEvent.CheckpointSaved.class, e -> e.step() >= 4, WAIT);
        TrialEvent.Started first = records.awaitEvent(trial.trialId(), TrialEvent.Started.class, e -> true, WAIT);
        WorkerProcess victim = workers.get(first.workerId());
        victim.kill();
        workers.remove(first.workerId());
        TrialEvent.Started resumed = records.awaitEvent(
                trial.trialId(), TrialEvent.Started.class, e -> !e.workerId().equals(first.workerId()), WAIT);
        assertTrue(resumed.resumedFromStep() >= saved.step(), "resumed from " + resumed.resumedFromStep());
        TrialEvent.Completed done = records.awaitEvent(trial.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
        assertEquals(24, done.steps());
        assertTrue(Files.readString(workers.get(resumed.workerId()).log)
                .contains("trial " + trial.trialId() + " resumes from its checkpoint at step "
                        + resumed.resumedFromStep()));
        assertEquals(1, records.predictions(trial.trialId()).size(), "completed once");
        // Equal to 6 significant digits: runs of the same trial in different processes have been seen to differ in
        // the 7th digit of the loss (CPU, one thread), a resume that lost state differs far more.
        assertEquals(uninterruptedFinalLoss(trial), done.finalLoss(), 1e-5, "same loss as an uninterrupted run");
        // Back to two workers for the next tests.
        workers.put("worker-c", WorkerProcess.start("worker-c", stack, dir));
    }

    /** The same trial in this JVM, start to end, through the worker's own input and runner classes. */
    private double uninterruptedFinalLoss(TrialRequested trial) throws Exception {
        TrialRunner.Result result = runInProcess(trial, "in-process", new TrialRunner.Listener() {
            @Override
            public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {}

            @Override
            public void checkpoint(long step, Path checkpoint) {}

            @Override
            public StopSignal.Reason stopRequested() {
                return null;
            }
        });
        return ((TrialRunner.Result.Finished) result).finalLoss();
    }

    private TrialRunner.Result runInProcess(TrialRequested trial, String name, TrialRunner.Listener listener)
            throws Exception {
        WorkerConfig config = new TestWorker.Config("in-process", dir.resolve(name));
        Florence2TrialRunner runner = new Florence2TrialRunner(config);
        TrialInputs.Prepared prepared = new StorageInputs(store, config, runner).prepare(trial);
        TrialRunner.Job job = TrialRunner.Job.of(
                trial, prepared, Optional.empty(), Files.createDirectories(dir.resolve(name + "/work")));
        return runner.run(job, listener);
    }

    @Test
    @Order(3)
    void poisonRecordsGoToTheDeadLetterTopicWithoutBlockingThePartition() throws Exception {
        TrialRequested good = request(spec(new Compression("avg_pool", 8, 0, false), 2, 2, MODEL), 1);
        TrialRequested unknownModel = request(spec(Compression.none(), 2, 2, "no-such-model"), 1);
        // done, but its stored metrics.json is broken: reported as a failure, not retried forever
        TrialRequested brokenDone = request(spec(new Compression("avg_pool", 4, 4, false), 2, 2, MODEL), 1);
        store.put(
                Keys.predictionMetrics(brokenDone.trialId()),
                "{truncated".getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(Keys.done(brokenDone.trialId()), "now".getBytes(StandardCharsets.UTF_8), "text/plain");
        int partition = 3;
        producer.send(new ProducerRecord<>(Topics.TRIALS, partition, "garbage", "{this is not json"))
                .get();
        producer.send(new ProducerRecord<>(Topics.TRIALS, partition, unknownModel.trialId(), Json.write(unknownModel)))
                .get();
        producer.send(new ProducerRecord<>(Topics.TRIALS, partition, brokenDone.trialId(), Json.write(brokenDone)))
                .get();
        producer.send(new ProducerRecord<>(Topics.TRIALS, partition, good.trialId(), Json.write(good)))
                .get();

        ConsumerRecord<String, String> garbage =
                records.await(r -> r.topic().equals(Topics.TRIALS_DLQ) && "garbage".equals(r.key()), WAIT);
        assertTrue(reason(garbage).startsWith("unparseable TrialRequested"), reason(garbage));
        ConsumerRecord<String, String> unknown = records.await(
                r -> r.topic().equals(Topics.TRIALS_DLQ)
                        && unknownModel.trialId().equals(r.key()),
                WAIT);
        assertTrue(reason(unknown).contains("unknown model 'no-such-model'"), reason(unknown));
        assertEquals(
                Topics.TRIALS,
                new String(unknown.headers().lastHeader(Topics.DLQ_TOPIC_HEADER).value(), StandardCharsets.UTF_8));
        TrialEvent.Failed failed = records.awaitEvent(unknownModel.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertFalse(failed.retryable());
        TrialEvent.Failed broken = records.awaitEvent(brokenDone.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertTrue(broken.reason().contains("unreadable metrics.json"), broken.reason());
        assertFalse(broken.retryable());
        records.awaitEvent(good.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
    }

    private static String reason(ConsumerRecord<String, String> r) {
        return new String(r.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(4)
    void aCancelledTrialStopsAndAResubmissionSkipsACorruptNewestCheckpoint() throws Exception {
        TrialSpec spec = spec(new Compression("learnable_pool", 4, 0, true), 40, 3, MODEL);
        TrialRequested first = request(spec, 1);
        publish(first);
        records.awaitEvent(first.trialId(), TrialEvent.CheckpointSaved.class, e -> e.step() >= 6, WAIT);
        producer.send(new ProducerRecord<>(
                        Topics.TRIAL_CONTROL,
                        first.trialId(),
                        Json.write(new TrialControl(
                                first.trialId(), first.sweepId(), TrialControl.CANCEL, Instant.now(), 1))))
                .get();
        TrialEvent.Cancelled cancelled =
                records.awaitEvent(first.trialId(), TrialEvent.Cancelled.class, e -> true, WAIT);
        assertTrue(cancelled.step() < 40, "stopped early, at step " + cancelled.step());
        assertTrue(records.events(first.trialId()).stream().noneMatch(e -> e instanceof TrialEvent.Completed));

        List<Long> steps = new ArrayList<>();
        for (String key : store.list(Keys.checkpoints(first.trialId()))) {
            if (key.endsWith("/state.json")) {
                steps.add(Long.parseLong(key.replaceAll(".*/step-(\\d+)/state.json", "$1")));
            }
        }
        steps.sort(null);
        assertTrue(steps.size() >= 2, "checkpoints " + steps);
        long newest = steps.get(steps.size() - 1);
        long previous = steps.get(steps.size() - 2);
        store.put(
                Keys.checkpoint(first.trialId(), newest) + "model.safetensors",
                "truncated".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");

        TrialRequested second = request(spec, 2);
        publish(second);
        TrialEvent.Started started =
                records.awaitEvent(first.trialId(), TrialEvent.Started.class, e -> e.attempt() == 2, WAIT);
        assertEquals(previous, started.resumedFromStep(), "the corrupt step " + newest + " is skipped");
        assertEquals("cpu()", started.device(), "the device the model is loaded on, as DJL names it");
        assertNotEquals(newest, started.resumedFromStep());
        boolean said = false;
        for (WorkerProcess w : workers.values()) {
            said |= Files.readString(w.log)
                    .contains("checkpoint step " + newest + " of trial " + first.trialId() + " is unusable");
        }
        assertTrue(said, "a worker log says which checkpoint it skipped");
        records.awaitEvent(first.trialId(), TrialEvent.Completed.class, e -> e.attempt() == 2, WAIT);
    }

    @Test
    @Order(5)
    void aStopDuringTheEvaluationEndsTheRunWithoutAnswers() throws Exception {
        TrialRequested trial = request(spec(new Compression("avg_pool", 2, 0, false), 6, 3, MODEL), 1);
        AtomicBoolean trained = new AtomicBoolean();
        List<String> phases = new ArrayList<>();
        TrialRunner.Result result = runInProcess(trial, "stopped-in-eval", new TrialRunner.Listener() {
            @Override
            public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {
                phases.add(phase);
                trained.compareAndSet(false, phase.equals("train") && step == totalSteps);
            }

            @Override
            public void checkpoint(long step, Path checkpoint) {}

            @Override
            public StopSignal.Reason stopRequested() {
                return trained.get() ? StopSignal.Reason.CANCELLED : null;
            }
        });
        assertTrue(trained.get(), "training ran to its last step");
        assertEquals(
                new TrialRunner.Result.Stopped(6, StopSignal.Reason.CANCELLED),
                result,
                "stopped before the first evaluation batch, no answers; progress: " + phases);
        assertFalse(phases.contains("eval"), "no evaluation progress: " + phases);
    }

    @Test
    @Order(6)
    void aTrialStoppedByShutdownCountsAsStoppedNotFailed() throws Exception {
        TrialRequested trial = request(spec(new Compression("avg_pool", 2, 1, true), 6, 3, MODEL), 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StopSignal stop = new StopSignal();
        stop.shutdown();
        assertEquals(TrialExecutor.Outcome.STOPPED, processInProcess(trial, stop, registry));
        records.awaitEvent(trial.trialId(), TrialEvent.Started.class, e -> true, WAIT);
        assertEquals(1.0, trials(registry, "stopped"), "stopped");
        assertEquals(0.0, trials(registry, "failed"), "failed");
        assertTrue(records.events(trial.trialId()).stream().noneMatch(e -> e instanceof TrialEvent.Failed));
    }

    @Test
    @Order(7)
    void aCompressionTheModelCannotTakeFailsWithoutRetry() throws Exception {
        TrialRequested trial = request(spec(new Compression("none", 1, 0, false), 6, 3, MODEL), 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertEquals(TrialExecutor.Outcome.DONE, processInProcess(trial, new StopSignal(), registry));
        TrialEvent.Failed failed = records.awaitEvent(trial.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertFalse(failed.retryable(), "the same spec fails on every worker: " + failed.reason());
        assertTrue(failed.reason().startsWith("compression does not fit the model"), failed.reason());
        assertEquals(1.0, trials(registry, "failed"), "failed");
    }

    @Test
    @Order(8)
    void aTrainingFreeTrialRunsNoOptimizerStepAndAnswersWithTheStoredWeights() throws Exception {
        DatasetRef evalOnHeldOut = new DatasetRef(DATASET, "all", "val", subset.sha256(), "held-out", heldOut.sha256());
        TrialSpec fineTuned = spec(new Compression("avg_pool", 2, 0, false), 2, 2, MODEL);
        fineTuned =
                new TrialSpec(MODEL, evalOnHeldOut, fineTuned.compression(), fineTuned.train(), fineTuned.eval(), 7);
        TrialSpec trainingFree =
                new TrialSpec(MODEL, evalOnHeldOut, fineTuned.compression(), null, fineTuned.eval(), fineTuned.seed());
        List<String> phases = new ArrayList<>();
        TrialRunner.Listener listener = new TrialRunner.Listener() {
            @Override
            public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {
                phases.add(phase);
            }

            @Override
            public void checkpoint(long step, Path checkpoint) {
                phases.add("checkpoint");
            }

            @Override
            public StopSignal.Reason stopRequested() {
                return null;
            }
        };
        TrialRunner.Result.Finished free =
                (TrialRunner.Result.Finished) runInProcess(request(trainingFree, 1), "training-free", listener);
        assertEquals(0, free.steps(), "no optimizer step");
        assertEquals(null, free.finalLoss());
        assertFalse(phases.contains("train") || phases.contains("checkpoint"), "progress: " + phases);
        // the stored weights, evaluated directly, give the same answers
        WorkerConfig config = new TestWorker.Config("in-process", dir.resolve("training-free"));
        TrialInputs.Prepared prepared =
                new StorageInputs(store, config, new Florence2TrialRunner(config)).prepare(request(trainingFree, 1));
        try (Florence2Pipeline stored = Florence2Pipeline.load(prepared.modelDir())) {
            assertEquals(
                    VqaAnswerer.answer(
                            stored,
                            prepared.eval(),
                            EvalOptions.defaults()
                                    .withNumBeams(1)
                                    .withMaxNewTokens(4)
                                    .withNoRepeatNgramSize(0)
                                    .withBatchSize(8),
                            ai.vtc.florence2.compress.Compression.avgPool(2, 0, false),
                            null),
                    free.answers());
        }
        // a fine-tuned trial of the same sweep answers exactly the same questions: the held-out subset's
        TrialRunner.Result.Finished tuned =
                (TrialRunner.Result.Finished) runInProcess(request(fineTuned, 1), "fine-tuned", listener);
        assertEquals(2, tuned.steps());
        assertEquals(
                new java.util.TreeSet<>(heldOut.ids("val")),
                new java.util.TreeSet<>(free.answers().keySet()));
        assertEquals(free.answers().keySet(), tuned.answers().keySet());
    }

    private TrialSpec loraSpec(LoraSettings lora) {
        TrialSpec plain = spec(new Compression("learnable_pool", 2, 0, false), 2, 2, MODEL);
        TrainSettings t = plain.train();
        TrainSettings withLora = new TrainSettings(
                null,
                t.epochs(),
                t.maxSteps(),
                t.batchSize(),
                t.gradientAccumulation(),
                1e-2,
                t.optimizer(),
                t.weightDecay(),
                t.lrSchedule(),
                t.warmupSteps(),
                t.maxGradNorm(),
                t.checkpointEverySteps(),
                null,
                lora.withDefaults(),
                1,
                null);
        return new TrialSpec(MODEL, plain.dataset(), plain.compression(), withLora, plain.eval(), plain.seed());
    }

    @Test
    @Order(9)
    void aLoraTrialCheckpointsOnlyItsAdaptersAndStoresItsSamples() throws Exception {
        TrialRequested trial = request(loraSpec(new LoraSettings(2, null, null, null, true)), 1);
        assertEquals(TrialExecutor.Outcome.DONE, processInProcess(trial, new StopSignal(), new SimpleMeterRegistry()));
        TrialEvent.Completed done = records.awaitEvent(trial.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
        assertEquals(2, done.steps());
        String step2 = Keys.checkpoint(trial.trialId(), 2);
        List<String> files = store.list(step2);
        for (String name : List.of("adapter_config.json", "adapter_model.safetensors", "model.safetensors")) {
            assertTrue(files.contains(step2 + name), name + " in " + files);
        }
        long baseBytes = store.list(Keys.model(MODEL)).stream()
                .filter(k -> k.endsWith("model.safetensors"))
                .mapToLong(k -> store.size(k).orElse(0L))
                .sum();
        assertTrue(
                store.size(step2 + "model.safetensors").orElseThrow() * 4 < baseBytes, "the base is not stored again");
        JsonNode samples = Json.mapper().readTree(store.get(Keys.trainingSamples(trial.trialId())));
        assertEquals(2 * 4, samples.size(), "4 fixed questions at steps 1 and 2");
        assertEquals(2, samples.get(7).path("step").asInt());
    }

    @Test
    @Order(10)
    void aLoraRankTheModelCannotTakeFailsWithoutRetry() throws Exception {
        TrialRequested trial = request(loraSpec(new LoraSettings(100_000, null, null, null, null)), 1);
        assertEquals(TrialExecutor.Outcome.DONE, processInProcess(trial, new StopSignal(), new SimpleMeterRegistry()));
        TrialEvent.Failed failed = records.awaitEvent(trial.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertFalse(failed.retryable(), failed.reason());
        assertTrue(failed.reason().startsWith("LoRA does not fit model"), failed.reason());
        assertTrue(failed.reason().contains("larger than the smaller side"), failed.reason());
    }

    @Test
    @Order(11)
    void aRaceAnswersItsRungsPrefixThenOnlyTheQuestionsBeyondItWithoutTrainingAgain() throws Exception {
        TrialSpec spec = spec(new Compression("avg_pool", 2, 1, false), 2, 2, MODEL);
        TrialRequested whole = request(spec, 1);
        TrialRequested rung =
                new TrialRequested(whole.sweepId(), whole.trialId(), spec, whole.datasetManifestSha256(), 1, 0.5);
        String id = whole.trialId();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(TrialExecutor.Outcome.DONE, processInProcess(rung, new StopSignal(), registry));
        long questions = subset.ids("val").size();
        int prefix = ai.vtc.contracts.SearchSettings.prefixSize(0.5, (int) questions);
        ai.vtc.contracts.PredictionsReady announced = Json.read(
                records.await(r -> r.topic().equals(Topics.PREDICTIONS) && id.equals(r.key()), WAIT)
                        .value(),
                ai.vtc.contracts.PredictionsReady.class);
        assertEquals(0.5, announced.evalFraction());
        assertEquals(Keys.rungPredictions(id, prefix), store.keyOf(announced.predictionsUri()));
        VqaResults rungAnswers =
                VqaResults.read(new ByteArrayInputStream(store.get(Keys.rungPredictions(id, prefix))), id);
        assertEquals(prefix, rungAnswers.size());
        assertFalse(store.exists(Keys.done(id)), "a rung is not the trial's result");

        // mark a kept answer: the whole set must take it as it is, not answer that question again
        long first = rungAnswers.questionId(0);
        VqaResults.Builder kept = VqaResults.builder();
        kept.add(first, "kept answer");
        for (int i = 1; i < rungAnswers.size(); i++) {
            kept.add(rungAnswers.questionId(i), rungAnswers.answer(i));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        kept.build().write(bytes);
        store.put(Keys.answered(id), bytes.toByteArray(), "application/json");

        assertEquals(TrialExecutor.Outcome.DONE, processInProcess(whole, new StopSignal(), registry));
        assertTrue(store.exists(Keys.done(id)));
        VqaResults all = VqaResults.read(new ByteArrayInputStream(store.get(Keys.predictions(id))), id);
        assertEquals(questions, all.size());
        assertEquals("kept answer", all.answer(0));
        for (int i = 1; i < prefix; i++) {
            assertEquals(rungAnswers.answer(i), all.answer(i), "the prefix's answers are the rung's");
        }
        records.awaitEvent(id, TrialEvent.Started.class, e -> e.resumedFromStep() == 2, WAIT); // no training again
        TrialEvent.Completed completed = records.awaitEvent(id, TrialEvent.Completed.class, e -> true, WAIT);
        assertEquals(2, completed.steps());
    }

    /** Test-profile workers: the fault-injection seeds below are honoured, and DOWN comes after 5 s. */
    private static final List<String> FAULTS = List.of(
            "quarkus.profile=test",
            "fault-injection.halt-seed=9001",
            "fault-injection.error-seed=9002",
            "worker.consumer-unhealthy-after=5s");

    private static TrialSpec withSeed(TrialSpec spec, long seed) {
        return new TrialSpec(spec.model(), spec.dataset(), spec.compression(), spec.train(), spec.eval(), seed);
    }

    private void sendTo(int partition, TrialRequested t) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRIALS, partition, t.trialId(), Json.write(t)))
                .get();
    }

    private long count(String trialId, Class<? extends TrialEvent> type) {
        return records.events(trialId).stream().filter(type::isInstance).count();
    }

    @Test
    @Order(12)
    void aTrialThatKillsItsWorkerIsFailedAfterItsAttemptsAndAnErrorIsAFailedAttempt() throws Exception {
        for (WorkerProcess w : workers.values()) {
            w.close();
        }
        workers.clear();
        TrialSpec halting = withSeed(spec(new Compression("avg_pool", 2, 0, false), 4, 2, MODEL), 9001);
        // two attempts: the first two runs die with their worker, the third delivery fails the request
        TrialRequested crash =
                new TrialRequested("sweep-worker-it", TrialIds.of(halting), halting, subset.sha256(), 1, null, 2);
        TrialRequested error = request(withSeed(spec(new Compression("avg_pool", 2, 0, false), 4, 2, MODEL), 9002), 1);
        TrialRequested good = request(withSeed(spec(new Compression("avg_pool", 2, 0, false), 2, 2, MODEL), 11), 1);
        int partition = 5; // one partition: each record waits for the one before it
        sendTo(partition, crash);
        sendTo(partition, error);
        sendTo(partition, good);

        int deaths = 0;
        WorkerProcess survivor = null;
        while (survivor == null) {
            WorkerProcess w = WorkerProcess.start("crash-" + (deaths + 1), stack, dir, FAULTS);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (w.process.isAlive() && count(crash.trialId(), TrialEvent.Failed.class) == 0) {
                assertTrue(System.nanoTime() < deadline, "worker " + w.id + " neither died nor failed the trial");
                Thread.sleep(200);
            }
            if (w.process.isAlive()) {
                survivor = w;
                workers.put(w.id, w);
            } else {
                deaths++;
                assertTrue(Files.readString(w.log).contains("fault injection: trial " + crash.trialId() + " halts"));
                assertTrue(deaths <= 2, "the trial ran again after its attempts were used up");
            }
        }
        TrialEvent.Failed failed = records.awaitEvent(crash.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertEquals(2, deaths, "deaths before the request failed");
        assertEquals(2, count(crash.trialId(), TrialEvent.Started.class), "runs of the halting trial");
        assertTrue(
                failed.reason()
                        .startsWith(
                                "worker process died 2 times while running this trial: last on worker" + " crash-2"),
                failed.reason());
        assertFalse(failed.retryable());
        assertEquals(2, store.list(Keys.runs(crash.trialId(), 1)).size(), "the records of the runs that died");

        TrialEvent.Failed overflow = records.awaitEvent(error.trialId(), TrialEvent.Failed.class, e -> true, WAIT);
        assertTrue(overflow.reason().startsWith("StackOverflowError"), overflow.reason());
        assertTrue(store.list(Keys.runs(error.trialId(), 1)).isEmpty(), "a run that threw ended in the JVM");
        TrialEvent.Completed completed =
                records.awaitEvent(good.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
        assertEquals(
                survivor.id,
                records.awaitEvent(good.trialId(), TrialEvent.Started.class, e -> true, WAIT)
                        .workerId());
        assertTrue(survivor.process.isAlive(), "the worker survived the error");
        long duplicates = count(good.trialId(), TrialEvent.Completed.class) - 1;
        assertEquals(0, duplicates);
        System.out.printf(
                "crash test: faults injected %d (process halts %d, StackOverflowError 1); runs of the halting trial %d,"
                        + " then failed: \"%s\"; trials completed %d (%d steps) on %s; duplicates %d%n",
                deaths + 1,
                deaths,
                count(crash.trialId(), TrialEvent.Started.class),
                failed.reason(),
                count(good.trialId(), TrialEvent.Completed.class),
                completed.steps(),
                survivor.id,
                duplicates);
    }

    @Test
    @Order(13)
    void aTrialWhosePartitionIsRevokedStopsBeforeTheNewOwnerResumesItAndCompletesOnce() throws Exception {
        if (workers.size() != 1) { // one worker that owns every partition
            for (WorkerProcess w : workers.values()) {
                w.close();
            }
            workers.clear();
            WorkerProcess w = WorkerProcess.start("rebalance-a", stack, dir, FAULTS);
            workers.put(w.id, w);
        }
        WorkerProcess first = workers.values().iterator().next();
        int steps = 60;
        TrialRequested trial =
                request(withSeed(spec(new Compression("avg_pool", 2, 1, false), steps, 5, MODEL), 13), 1);
        // the cooperative sticky assignor keeps a member's lowest partitions: the highest moves to a new member
        sendTo(stack.trialsPartitions() - 1, trial);
        records.awaitEvent(trial.trialId(), TrialEvent.CheckpointSaved.class, e -> e.step() >= 5, WAIT);
        long t0 = System.nanoTime();
        WorkerProcess second = WorkerProcess.start("rebalance-b", stack, dir, FAULTS);
        workers.put(second.id, second);
        TrialEvent.Started resumed = records.awaitEvent(
                trial.trialId(), TrialEvent.Started.class, e -> e.workerId().equals(second.id), WAIT);
        double handover = (System.nanoTime() - t0) / 1e9;
        TrialEvent.Completed done =
                records.awaitEvent(trial.trialId(), TrialEvent.Completed.class, e -> true, Duration.ofMinutes(10));
        assertEquals(steps, done.steps());
        String firstLog = Files.readString(first.log);
        assertTrue(
                firstLog.contains("trial " + trial.trialId() + " ended (STOPPED) before its partition was handed over"),
                "the first worker stopped the trial before the handover");
        assertTrue(resumed.resumedFromStep() >= 5, "resumed from " + resumed.resumedFromStep());
        assertFalse(
                Files.readString(second.log).contains("trial " + trial.trialId() + " attempt 1 runs on worker"),
                "the new owner found no live lease: the first worker had stopped");
        long completions = count(trial.trialId(), TrialEvent.Completed.class);
        long starts = count(trial.trialId(), TrialEvent.Started.class);
        assertEquals(1, completions, "completed once");
        assertEquals(1, records.predictions(trial.trialId()).size(), "announced once");
        assertEquals(2, starts, "started by the first worker, resumed by the second");
        assertEquals(0, count(trial.trialId(), TrialEvent.Failed.class));
        System.out.printf(
                "rebalance test: faults injected 1 (a second worker joins mid-trial); runs %d (the second resumed at"
                        + " step %d, %.1f s after it was launched); trials completed %d; duplicates %d%n",
                starts, resumed.resumedFromStep(), handover, completions, completions - 1);
    }

    @Test
    @Order(14)
    void theHealthCheckIsDownWhileTheBrokerIsAwayAndUpAgainAfter() throws Exception {
        WorkerProcess w = workers.values().iterator().next();
        assertEquals(200, w.health("live").statusCode());
        var server = TestStack.get();
        long t0 = System.nanoTime();
        server.stopServer("kafka");
        double down;
        HttpResponse<String> live;
        HttpResponse<String> ready;
        try {
            live = awaitHealth(w, "live", 503);
            down = (System.nanoTime() - t0) / 1e9;
            ready = w.health("ready");
        } finally {
            server.startServer("kafka");
        }
        long t1 = System.nanoTime();
        assertTrue(live.body().contains("trials consumer") && live.body().contains("failing since"), live.body());
        assertEquals(503, ready.statusCode(), ready.body());
        awaitHealth(w, "live", 200);
        double up = (System.nanoTime() - t1) / 1e9;
        // readiness also waits for the messaging channels' own reconnection, which may come a moment after the
        // consumer's
        awaitHealth(w, "ready", 200);
        double readyUp = (System.nanoTime() - t1) / 1e9;
        TrialRequested after = request(withSeed(spec(new Compression("avg_pool", 2, 0, false), 2, 2, MODEL), 14), 1);
        publish(after);
        records.awaitEvent(after.trialId(), TrialEvent.Completed.class, e -> true, WAIT);
        System.out.printf(
                "health test: faults injected 1 (broker stopped %.1f s); DOWN %.1f s after the stop"
                        + " (worker.consumer-unhealthy-after=5s), UP %.1f s after the restart (ready %.1f s); trials"
                        + " completed after it 1%n",
                down, down, up, readyUp);
    }

    private static HttpResponse<String> awaitHealth(WorkerProcess w, String which, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        HttpResponse<String> r = w.health(which);
        while (r.statusCode() != status) {
            assertTrue(
                    System.nanoTime() < deadline, "/q/health/" + which + " stays " + r.statusCode() + ": " + r.body());
            Thread.sleep(250);
            r = w.health(which);
        }
        return r;
    }

    /** One record through a {@link TrialExecutor} in this JVM, with its own stop signal and meter registry. */
    private TrialExecutor.Outcome processInProcess(TrialRequested trial, StopSignal stop, SimpleMeterRegistry registry)
            throws Exception {
        WorkerConfig config = new TestWorker.Config("in-process", dir.resolve("executor-" + trial.trialId()));
        try (EventPublisher events = new EventPublisher(stack.kafkaBootstrap())) {
            TrialExecutor executor = TestWorker.executor(store, events, config, stop, registry);
            return executor.process(trial.trialId(), Json.write(trial));
        }
    }

    private static double trials(SimpleMeterRegistry registry, String outcome) {
        return registry.counter(MetricNames.WORKER_TRIALS, MetricNames.TAG_OUTCOME, outcome)
                .count();
    }
}
