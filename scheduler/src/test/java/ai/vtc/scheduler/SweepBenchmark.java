package ai.vtc.scheduler;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.contracts.SweepSpec;
import ai.vtc.contracts.SweepSpecs;
import ai.vtc.contracts.Topics;
import ai.vtc.stack.Ports;
import ai.vtc.stack.Stack;
import ai.vtc.stack.StackConfig;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints how long a 10,000-trial sweep takes to validate, expand, store and publish (goal: under 5 s). Not a test.
 * Starts the embedded stack with the packaged scheduler ({@code scheduler/target/quarkus-app}, its production
 * settings: -Xmx384m, serial GC), warms it up with a 1,000-trial sweep, then measures. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -B -pl scheduler -am install -DskipTests
 * ./mvnw -q -B -pl scheduler dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * java -cp scheduler/target/test-classes:scheduler/target/classes:$(cat scheduler/target/test.cp) \
 *     ai.vtc.scheduler.SweepBenchmark
 * </pre>
 */
public final class SweepBenchmark {
    private static final int RUNS = 3;

    private SweepBenchmark() {}

    /** 2 modes x 25 factors x 4 stages x 2 sorted x 25 seeds = 10,000 trials. */
    static String sweep(String model, int seeds) {
        StringBuilder factors = new StringBuilder();
        for (int f = 2; f <= 26; f++) {
            factors.append(f == 2 ? "" : ", ").append(f);
        }
        StringBuilder seedList = new StringBuilder();
        for (int s = 0; s < seeds; s++) {
            seedList.append(s == 0 ? "" : ", ").append(s);
        }
        return "name: benchmark\nmodel: " + model + "\ndataset: {name: synth-vqa, subset: 10pct}\n"
                + "grid:\n  mode: [avg_pool, learnable_pool]\n  factor: [" + factors + "]\n"
                + "  stage: [0, 1, 2, 3]\n  sorted: [false, true]\n"
                + "seeds: [" + seedList + "]\n"
                + "train: {epochs: 1, batch_size: 8, learning_rate: 5.0e-5}\n";
    }

    public static void main(String[] args) throws Exception {
        offline();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "benchmark-stack");
        int port = Ports.free();
        StackConfig config = StackConfig.builder(dir)
                .randomPorts()
                .prometheus("off")
                .services(
                        Path.of("").toAbsolutePath(),
                        List.of(new StackConfig.ServiceSpec("scheduler", port, "scheduler")))
                .build();
        Stack stack = Stack.start(config, System.out);
        try {
            ObjectStore store = new ObjectStore(
                    config.s3Endpoint(),
                    config.s3().accessKey(),
                    config.s3().secretKey(),
                    config.s3().bucket());
            store.ensureBucket();
            String url = "http://" + config.host() + ":" + port;
            Run warmUp = submitAndAwait(store, config, url, 1);
            System.out.printf(
                    "warm-up: %d trials, submit %d ms, all on 'trials' after %d ms%n",
                    warmUp.trials, warmUp.submitMillis, warmUp.publishedMillis);
            long[] published = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                Run run = submitAndAwait(store, config, url, 25);
                published[i] = run.publishedMillis;
                System.out.printf(
                        "run %d: %d trials; validate + expand + store (POST /sweeps answered) %d ms; "
                                + "all %d records on 'trials' %d ms after the POST began%n",
                        i + 1, run.trials, run.submitMillis, run.trials, run.publishedMillis);
            }
            Arrays.sort(published);
            long median = published[RUNS / 2];
            System.out.printf(
                    "10k sweep, validate + expand + store + publish: median %d ms, best %d ms of %d runs; goal (< 5 s) %s%n",
                    median, published[0], RUNS, median < 5000 ? "met" : "missed");
            Path log = config.logs().resolve("scheduler.log");
            if (Files.exists(log)) {
                Files.readAllLines(log).stream()
                        .filter(l ->
                                l.contains("accepted:") || l.contains("JDBC batch") || l.contains("JDBC statements"))
                        .forEach(l -> System.out.println("scheduler log: " + l));
            }
        } finally {
            stack.closeAndDelete();
        }
    }

    /** Validation and expansion alone, in this JVM (median of 7 after 3 warm-ups). */
    private static void offline() {
        String yaml = sweep("tiny-benchmark", 25);
        long[] parse = new long[7];
        long[] expand = new long[7];
        int trials = 0;
        for (int i = -3; i < 7; i++) {
            long t0 = System.nanoTime();
            SweepSpec spec = SweepSpecs.parse(yaml).orThrow();
            long t1 = System.nanoTime();
            trials = SweepExpansion.expand(spec, "5a7f00d2").size();
            long t2 = System.nanoTime();
            if (i >= 0) {
                parse[i] = t1 - t0;
                expand[i] = t2 - t1;
            }
        }
        Arrays.sort(parse);
        Arrays.sort(expand);
        System.out.printf(
                "offline: parse + validate %.1f ms, expand %d trials with ids %.1f ms (median of 7)%n",
                parse[3] / 1e6, trials, expand[3] / 1e6);
    }

    private record Run(int trials, long submitMillis, long publishedMillis) {}

    private static Run submitAndAwait(ObjectStore store, StackConfig config, String url, int seeds) throws Exception {
        String model = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        store.put(
                Keys.model(model) + "config.json",
                Json.write(Map.of("text_config", Map.of("encoder_layers", 6))).getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(
                Keys.subset("synth-vqa", "10pct"),
                Json.write(Map.of("sha256", "5a7f00d2")).getBytes(StandardCharsets.UTF_8),
                "application/json");
        try (KafkaConsumer<String, String> consumer = consumer(config)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/sweeps"))
                    .header("Content-Type", "application/yaml")
                    .header("Authorization", "Bearer vtc-local-token")
                    .POST(HttpRequest.BodyPublishers.ofString(sweep(model, seeds)))
                    .timeout(Duration.ofMinutes(2))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            long submitted = System.nanoTime();
            if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "POST /sweeps answered " + response.statusCode() + ": " + response.body());
            }
            Set<String> pending = new HashSet<>();
            for (JsonNode trial : Json.mapper().readTree(response.body()).path("trials")) {
                pending.add(trial.path("id").asText());
            }
            int trials = pending.size();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                    pending.remove(record.key());
                }
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(pending.size() + " trials never reached 'trials'");
            }
            long published = System.nanoTime();
            return new Run(trials, (submitted - t0) / 1_000_000, (published - t0) / 1_000_000);
        }
    }

    /** Positioned at the end of 'trials' before the POST, so only the new records count. */
    private static KafkaConsumer<String, String> consumer(StackConfig config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRIALS).stream()
                .map(p -> new TopicPartition(Topics.TRIALS, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now
        return consumer;
    }
}
