package ai.vtc.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvalSettings;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrainSettings;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.stack.Stack;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.synth.SyntheticVqa;
import ai.vtc.worker.TestWorker;
import ai.vtc.worker.messaging.EventPublisher;
import ai.vtc.worker.service.CheckpointStore;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.StorageBackoff;
import ai.vtc.worker.service.TrialExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real S3 server stopped for {@code vtc.it.outage-seconds} (30 s unless set) from the test, four times in one
 * trial's life, while the worker's classes run it in this JVM against the real broker: as it starts (inputs, lease,
 * checkpoint listing), while it writes a checkpoint, as it resumes after a stop, and when a delivery of the done trial
 * checks {@code _DONE}. Each outage costs time only: one attempt, no failure, a resume from the last checkpoint, and a
 * {@code _DONE} check that backs off instead of spinning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageOutageIT {
    private static final String MODEL = "tiny-outage-it";
    private static final String DATASET = "synth-outage-it";
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("vtc.it.outage-seconds", 30));
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final Stack stack = TestStack.get();
    private final ObjectStore plain = TestWorker.objectStore();
    private final TestWorker.Config config = new TestWorker.Config(
            "outage-worker", Path.of("target/outage-it/cache").toAbsolutePath());
    private final StorageBackoff backoff = new StorageBackoff(config.storageRetry());
    private final ObjectStore store = plain.withRetry(backoff);
    private final ExecutorService runs = Executors.newSingleThreadExecutor();
    private Path dir;
    private SubsetManifest subset;
    private Records records;
    private EventPublisher events;
    private int faults;

    @BeforeAll
    void setUp() throws Exception {
        dir = Files.createDirectories(Path.of("target/outage-it").toAbsolutePath());
        // on the thread that runs the trials: the engine turns gradients off on the thread that loads it (PyTorch's
        // grad mode is per thread), as the worker's trial thread does
        runs.submit(() -> {
                    TestInputs.uploadTinyModel(plain, MODEL, dir);
                    return null;
                })
                .get();
        SyntheticVqa.Generated data = SyntheticVqa.generate(
                dir.resolve("data"),
                SyntheticVqa.Options.defaults()
                        .withImages(6, 3)
                        .withQuestionsPerImage(2)
                        .withImageSize(64)
                        .withSeed(9));
        subset = new SubsetManifest(
                        DATASET, "all", 0, 1.0, TestInputs.uploadDataset(plain, DATASET, data, "outage IT"), null)
                .seal();
        plain.put(Keys.subset(DATASET, "all"), Json.write(subset).getBytes(StandardCharsets.UTF_8), "application/json");
        records = new Records(stack.config(), List.of(Topics.TRIAL_EVENTS, Topics.PREDICTIONS));
        events = new EventPublisher(stack.config().kafkaBootstrap());
    }

    @AfterAll
    void tearDown() throws Exception {
        runs.shutdownNow();
        events.close();
        records.close();
    }

    /** One delivery of the trial to this JVM's worker classes, stopped by {@code stop}. */
    private Future<TrialExecutor.Outcome> deliver(TrialRequested trial, StopSignal stop) {
        TrialExecutor executor = TestWorker.executor(store, events, config, stop, new SimpleMeterRegistry());
        return runs.submit(() -> executor.process(trial.trialId(), Json.write(trial)));
    }

    /** Stops the S3 server, runs {@code during}, keeps it stopped for {@link #OUTAGE} in all, starts it again. */
    private <T> T outage(String phase, java.util.concurrent.Callable<T> during) throws Exception {
        stack.stopServer("s3");
        faults++;
        long stopped = System.nanoTime();
        try {
            T result = during.call();
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
            return result;
        } finally {
            stack.startServer("s3");
            System.out.printf(
                    "storage outage %d (%s): S3 stopped for %.1f s, retries so far %d%n",
                    faults, phase, (System.nanoTime() - stopped) / 1e9, backoff.retries());
        }
    }

    private long count(String trialId, Class<? extends TrialEvent> type) {
        return records.events(trialId).stream().filter(type::isInstance).count();
    }

    @Test
    void aTrialWaitsOutS3OutagesAsItStartsCheckpointsResumesAndIsDeliveredAgain() throws Exception {
        int steps = 40;
        TrialSpec spec = new TrialSpec(
                MODEL,
                new DatasetRef(DATASET, "all", "val", subset.sha256()),
                new Compression("avg_pool", 2, 1, false),
                new TrainSettings("all", null, steps, 4, 1, 1e-3, "adamw", 0.01, "linear", 0, 1.0, 4, List.of()),
                new EvalSettings(1, 4, 0, "<VQA>{question}", 8),
                7);
        TrialRequested trial = new TrialRequested("sweep-outage-it", TrialIds.of(spec), spec, subset.sha256(), 1);
        String id = trial.trialId();

        // 1. start: inputs, lease and checkpoints are read while S3 is down
        StopSignal firstStop = new StopSignal();
        Future<TrialExecutor.Outcome> first = outage("start", () -> deliver(trial, firstStop));
        TrialEvent.CheckpointSaved firstCheckpoint =
                records.awaitEvent(id, TrialEvent.CheckpointSaved.class, e -> true, WAIT);

        // 2. running: the next checkpoint is written while S3 is down
        outage("checkpoint", () -> {
            assertFalse(first.isDone());
            return null;
        });
        records.awaitEvent(id, TrialEvent.CheckpointSaved.class, e -> e.step() > firstCheckpoint.step(), WAIT);
        firstStop.shutdown(); // the worker stops: a checkpoint at the step it reached, then the record goes back
        assertEquals(TrialExecutor.Outcome.STOPPED, first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        long lastSaved =
                new CheckpointStore(plain).completeSteps(id).get(0); // the store, not events still on their way
        assertTrue(lastSaved < steps, "stopped before the end, at " + lastSaved);

        // 3. resume: the checkpoint is listed and downloaded while S3 is down
        Future<TrialExecutor.Outcome> second = outage("resume", () -> deliver(trial, new StopSignal()));
        TrialEvent.Started resumed =
                records.awaitEvent(id, TrialEvent.Started.class, e -> e.resumedFromStep() > 0, WAIT);
        assertEquals(lastSaved, resumed.resumedFromStep(), "resumed from the last checkpoint, not from step 0");
        assertEquals(TrialExecutor.Outcome.DONE, second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        TrialEvent.Completed completed = records.awaitEvent(id, TrialEvent.Completed.class, e -> true, WAIT);
        assertEquals(steps, completed.steps());
        assertTrue(plain.exists(Keys.done(id)));

        // 4. a delivery of the done trial checks _DONE while S3 is down: it backs off, then announces it again
        long retriesBefore = backoff.retries();
        long startedBefore = count(id, TrialEvent.Started.class);
        Future<TrialExecutor.Outcome> third = outage("_DONE check", () -> deliver(trial, new StopSignal()));
        assertEquals(TrialExecutor.Outcome.DONE, third.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        long doneCheckRetries = backoff.retries() - retriesBefore;
        records.await(
                r -> r.topic().equals(Topics.PREDICTIONS)
                        && id.equals(r.key())
                        && records.predictions(id).size() == 2,
                WAIT);
        assertEquals(startedBefore, count(id, TrialEvent.Started.class), "announced again, not run again");
        // a pause that doubles from 200 ms to 2 s: some tries a second at first, then one every 2 s, never a spin
        long spinBound = OUTAGE.toMillis() / config.storageRetry().firstPause().toMillis();
        assertTrue(
                doneCheckRetries >= 3 && doneCheckRetries < spinBound / 2,
                "_DONE check retries during the outage: " + doneCheckRetries);

        List<TrialEvent> all = records.events(id);
        long failed = count(id, TrialEvent.Failed.class);
        List<Integer> attempts =
                all.stream().map(TrialEvent::attempt).distinct().sorted().toList();
        assertEquals(0, failed, "no failed attempt: " + all);
        assertEquals(List.of(1), attempts, "one attempt, as without the faults");
        System.out.printf(
                "storage outages: faults injected %d (S3 stopped ~%d s each: start, checkpoint, resume, _DONE check),"
                        + " storage retries %d (_DONE check %d, a fixed 200 ms loop would make %d), attempts %d,"
                        + " failed attempts %d, resumed from step %d of %d (last checkpoint %d), trials completed"
                        + " %d%n",
                faults,
                OUTAGE.toSeconds(),
                backoff.retries(),
                doneCheckRetries,
                spinBound,
                attempts.size(),
                failed,
                resumed.resumedFromStep(),
                steps,
                lastSaved,
                count(id, TrialEvent.Completed.class) > 0 ? 1 : 0);
    }
}
