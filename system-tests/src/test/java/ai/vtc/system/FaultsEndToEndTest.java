package ai.vtc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.Topics;
import ai.vtc.stack.Stack;
import ai.vtc.stack.StackConfig;
import ai.vtc.system.SystemStack.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A whole sweep through real faults: the real stack with the four packaged services and two gpu-worker processes,
 * {@code sweep demo} on one training-free trial (it makes the tiny model and data), then a sweep of 20 training-free
 * trials, and while they run: PostgreSQL stopped for 10 s, the S3 server stopped for 30 s ({@code
 * -Dfaults.s3-outage-seconds}), the Kafka broker restarted, the scheduler killed with kill -9 and started again. Then
 * every trial is completed, with exactly one {@code completed} trial event and one stored, completed evaluation each,
 * and nothing on the dead-letter topic; the numbers are printed in one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsEndToEndTest {
    private static final Path ROOT = SystemStack.ROOT;
    private static final Path DIR = ROOT.resolve("system-tests/target/faults");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIALS = 20;
    private static final Duration DATABASE_OUTAGE = Duration.ofSeconds(10);
    private static final Duration STORAGE_OUTAGE =
            Duration.ofSeconds(Integer.getInteger("faults.s3-outage-seconds", 30));
    /** Generous: another build may share the machine's cores. */
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(12);

    private SystemStack system;

    @BeforeAll
    void start() throws Exception {
        system = SystemStack.start(DIR, 2, 1);
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aSweepOfTwentyTrialsSurvivesDatabaseStorageBrokerAndSchedulerFaultsWithEachTrialDoneOnce() throws Exception {
        long t0 = System.nanoTime();
        Stack stack = system.stack();
        String scheduler = system.url("scheduler");
        List<String> demo = new ArrayList<>(List.of(
                "demo",
                "--url",
                scheduler,
                "--file",
                resource("faults-warmup.yaml"),
                "--stack-dir",
                system.dataDir().toString(),
                "--repo",
                ROOT.toString(),
                "--interval",
                "2",
                "--timeout",
                "PT15M"));
        demo.addAll(SystemStack.TINY_DEMO_DATA);
        demo.addAll(List.of("--pretrain-phase", SystemStack.TINY_PRETRAINING));
        Run warmup = system.sweep(demo.toArray(String[]::new));
        assertEquals(
                0, warmup.code(), "sweep demo (the tiny model, the data and one trial) failed:\n" + warmup.output());

        Run submit = system.sweep("submit", "--url", scheduler, resource("faults-sweep.yaml"));
        assertEquals(0, submit.code(), submit.output());
        Matcher accepted = Pattern.compile("sweep (s-[A-Za-z0-9-]+) 'faults' accepted: " + TRIALS + " trials")
                .matcher(submit.output());
        assertTrue(accepted.find(), submit.output());
        String id = accepted.group(1);
        String sweepUrl = scheduler + "/sweeps/" + id;

        await("a trial of the sweep running", Duration.ofMinutes(5), () -> count(sweepUrl, "running") > 0);
        List<String> faults = new ArrayList<>();
        faults.add(outage(stack, "postgres", DATABASE_OUTAGE, sweepUrl));
        faults.add(outage(stack, "s3", STORAGE_OUTAGE, sweepUrl));
        faults.add(outage(stack, "kafka", Duration.ZERO, sweepUrl));
        double schedulerRetried = retried(scheduler);
        int done = count(sweepUrl, "completed");
        long killed = System.nanoTime();
        killScheduler(stack);
        stack.startServer("scheduler");
        faults.add(String.format(
                "scheduler kill -9 and start at %d/%d completed, away %.0f s",
                done, TRIALS, (System.nanoTime() - killed) / 1e9));

        await("the sweep completed with " + TRIALS + " evaluated trials", SWEEP_TIMEOUT, () -> {
            JsonNode sweep = system.get(sweepUrl);
            JsonNode results = system.get(sweepUrl + "/results");
            return !"running".equals(sweep.path("status").asText())
                    && results.path("evaluated").asInt() == TRIALS;
        });
        JsonNode sweep = system.get(sweepUrl);
        assertEquals("completed", sweep.path("status").asText(), sweep.toString());
        Set<String> trials = new java.util.TreeSet<>();
        int attempts = 0;
        for (JsonNode trial : sweep.path("trials")) {
            assertEquals("completed", trial.path("status").asText(), trial.toString());
            trials.add(trial.path("id").asText());
            attempts += trial.path("attempt").asInt();
        }
        assertEquals(TRIALS, trials.size(), sweep.toString());

        Map<String, Integer> evaluations = storedEvaluations(stack.config(), trials);
        assertEquals(TRIALS, evaluations.size(), "one stored, completed evaluation per trial: " + evaluations);
        evaluations.forEach((trial, n) -> assertEquals(1, n, "stored evaluations of " + trial));

        Map<String, Integer> completedEvents = completedEvents(stack.config(), Topics.TRIAL_EVENTS, trials);
        Map<String, Integer> evaluatedEvents = completedEvents(stack.config(), Topics.EVALUATIONS, trials);
        // a trial completes once; its evaluation is announced at least once (a redelivered request re-announces
        // the stored result), so those repeats are counted and shown, the stored evaluations asserted one each
        int duplicates = duplicates(completedEvents);
        int reannounced = duplicates(evaluatedEvents);
        List<String> deadLetters = records(stack.config(), Topics.TRIALS_DLQ).stream()
                .map(r -> r.key() + " from " + header(r, Topics.DLQ_TOPIC_HEADER) + ": "
                        + header(r, Topics.DLQ_REASON_HEADER))
                .toList();
        double retried = schedulerRetried + retried(scheduler) + retried(system.url("evaluator"));
        System.out.printf(
                "faults test: faults injected %d (%s), events retried %.0f, trials completed %d (attempts %d),"
                        + " evaluations %d (evaluation events repeated %d), duplicates %d, dead letters %d,"
                        + " wall %.0f s (after the stack started)%n",
                faults.size(),
                String.join("; ", faults),
                retried,
                trials.size(),
                attempts,
                evaluations.size(),
                reannounced,
                duplicates,
                deadLetters.size(),
                (System.nanoTime() - t0) / 1e9);

        assertEquals(TRIALS, completedEvents.size(), "a completed trial event per trial: " + completedEvents);
        assertEquals(TRIALS, evaluatedEvents.size(), "a completed evaluation event per trial: " + evaluatedEvents);
        assertEquals(0, duplicates, "completed trial events per trial: " + completedEvents);
        assertEquals(List.of(), deadLetters, "nothing on " + Topics.TRIALS_DLQ);
    }

    /**
     * Stops {@code server}, waits {@code outage} and starts it again (a restart when zero); returns what was done,
     * with how far the sweep was.
     */
    private String outage(Stack stack, String server, Duration outage, String sweepUrl) throws Exception {
        int done = count(sweepUrl, "completed");
        long stopped = System.nanoTime();
        stack.stopServer(server);
        Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
        stack.startServer(server);
        double away = (System.nanoTime() - stopped) / 1e9;
        return String.format(
                "%s %s at %d/%d completed, away %.0f s",
                server, outage.isZero() ? "restarted" : "stopped " + outage.toSeconds() + " s", done, TRIALS, away);
    }

    /** kill -9 of the scheduler process named in the stack's pid file: no shutdown hook, nothing flushed. */
    private static void killScheduler(Stack stack) throws Exception {
        Path pidFile = stack.config().run().resolve("scheduler.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(
                        () -> new AssertionError("the scheduler (pid " + pid + " in " + pidFile + ") is not running"));
        assertTrue(
                process.info().commandLine().orElse("").contains("scheduler"),
                "pid " + pid + " is not the scheduler: " + process.info());
        process.destroyForcibly();
        process.onExit().get(1, TimeUnit.MINUTES);
    }

    /** Trials of the sweep in {@code status}, or -1 while the scheduler does not answer. */
    private int count(String sweepUrl, String status) {
        try {
            int n = 0;
            for (JsonNode trial : system.get(sweepUrl).path("trials")) {
                n += status.equals(trial.path("status").asText()) ? 1 : 0;
            }
            return n;
        } catch (Exception | AssertionError e) {
            return -1;
        }
    }

    private interface Check {
        boolean met() throws Exception;
    }

    /** Polls {@code check} every 2 s (a failing call counts as not yet) until it holds or {@code timeout} passes. */
    private static void await(String what, Duration timeout, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (check.met()) {
                    return;
                }
                last = "";
            } catch (Exception | AssertionError e) {
                last = ": last " + e;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no " + what + " within " + timeout.toMinutes() + " min" + last);
    }

    /** Stored evaluations in state completed per trial of {@code trials}, from the evaluator's database. */
    private static Map<String, Integer> storedEvaluations(StackConfig config, Set<String> trials) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(
                        config.jdbcUrl("evaluator"),
                        config.postgres().user(),
                        config.postgres().password());
                Statement query = db.createStatement();
                ResultSet rows = query.executeQuery("select trialId, status from evaluation")) {
            while (rows.next()) {
                String trial = rows.getString(1);
                if (trials.contains(trial)) {
                    assertEquals("completed", rows.getString(2).toLowerCase(java.util.Locale.ROOT), trial);
                    counts.merge(trial, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** {@code "type": "completed"} records per trial of {@code trials} on {@code topic}. */
    private static Map<String, Integer> completedEvents(StackConfig config, String topic, Set<String> trials)
            throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records(config, topic)) {
            JsonNode event = JSON.readTree(r.value());
            String trial = event.path("trialId").asText(event.path("trial_id").asText(r.key()));
            if (trials.contains(trial) && "completed".equals(event.path("type").asText())) {
                counts.merge(trial, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int duplicates(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** Every record on {@code topic}, read from the beginning to the end offsets of now. */
    private static List<ConsumerRecord<String, String>> records(StackConfig config, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofMinutes(1));
            if (infos == null || infos.isEmpty()) {
                return all;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofMinutes(1)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertTrue(System.nanoTime() < deadline, "cannot read " + topic + " to its end in 2 min");
                consumer.poll(Duration.ofMillis(500)).forEach(all::add);
            }
        }
        return all;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The scheduler's or the evaluator's {@code events_retried_total}, all channels. */
    private double retried(String service) throws Exception {
        String counter = MetricNames.EVENTS_RETRIED.replace('.', '_') + "_total{";
        return system.text(service + "/q/metrics")
                .lines()
                .filter(line -> line.startsWith(counter))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String resource(String name) {
        return ROOT.resolve("system-tests/src/test/resources").resolve(name).toString();
    }
}
