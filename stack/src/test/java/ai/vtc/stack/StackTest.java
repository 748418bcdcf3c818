package ai.vtc.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Topics;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.http.Method;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded stack against its real servers: start, use, stop, restart on the same data, bad input. */
class StackTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path temp;

    private StackConfig config(Path dataDir) {
        return StackConfig.builder(dataDir).randomPorts().prometheus("off").build();
    }

    @Test
    void servesRealKafkaS3AndPostgresAndRestartsOnItsOwnData() throws Exception {
        StackConfig config = StackConfig.builder(temp.resolve("data"))
                .randomPorts()
                .prometheus("auto")
                .build();
        boolean prometheus = PrometheusServer.findBinary().isPresent();
        String key = "checks/" + UUID.randomUUID() + ".txt";
        byte[] body = "hello from the stack test".getBytes(StandardCharsets.UTF_8);
        List<Long> pids;
        try (Stack stack = Stack.start(config, System.out)) {
            assertEquals("hello", roundTripThroughKafka(config, "hello"));
            putAndGetWithPresignedUrls(config, key, body);
            assertEquals(42, writeAndReadRow(config, "scheduler"));
            pids = pids(config);
            assertEquals(prometheus ? 4 : 3, pids.size(), "kafka, s3, postgres (and prometheus) pid files");
            if (prometheus) {
                assertPrometheusScrapesTheServices(config);
            }
        }
        assertNothingRuns(config, pids);

        Stack again = Stack.start(config, System.out);
        try {
            assertEquals("second", roundTripThroughKafka(config, "second"));
            MinioClient s3 = S3Server.client(config);
            assertEquals(
                    body.length,
                    s3.statObject(StatObjectArgs.builder()
                                    .bucket(config.s3().bucket())
                                    .object(key)
                                    .build())
                            .size(),
                    "the object written before the restart is still there");
            assertEquals(42, readRow(config, "scheduler"), "the row written before the restart is still there");
            restartOneServerThroughAnotherHandle(config);
            pids = pids(config);
        } finally {
            again.closeAndDelete();
        }
        assertNothingRuns(config, pids);
        assertFalse(Files.exists(new PostgresServer(config).home()), "the PostgreSQL home was deleted");
    }

    @Test
    void busyPortFailsFastNamingThePortAndStopsNothingElseRunning() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName(StackConfig.HOST))) {
            int port = busy.getLocalPort();
            StackConfig config = StackConfig.builder(temp.resolve("busy"))
                    .ports(Ports.free(), Ports.free(), port, Ports.free(), Ports.free())
                    .prometheus("off")
                    .build();
            StackException e = assertThrows(StackException.class, () -> Stack.start(config, QUIET));
            assertTrue(e.getMessage().contains("port " + port), e.getMessage());
            assertTrue(e.getMessage().contains("s3"), e.getMessage());
            assertFalse(Ports.isListening(StackConfig.HOST, config.kafkaPort()), "kafka must not have started");
        }
    }

    @Test
    void unwritableDataDirectoryFailsFastNamingThePath() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        StackConfig config = config(file.resolve("stack"));
        StackException e = assertThrows(StackException.class, () -> Stack.start(config, QUIET));
        assertTrue(e.getMessage().contains(file.resolve("stack").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    }

    @Test
    void aServerThatDiesDuringStartUpStopsWhatHadStarted() throws Exception {
        StackConfig config = config(temp.resolve("broken"));
        // A directory where PostgreSQL expects its cluster makes initdb fail after Kafka and S3 have started.
        Path home = new PostgresServer(config).home();
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data").resolve("PG_VERSION"), "not a cluster");
        StackException e = assertThrows(StackException.class, () -> Stack.start(config, QUIET));
        assertTrue(e.getMessage().toLowerCase().contains("postgres"), e.getMessage());
        assertFalse(Ports.isListening(StackConfig.HOST, config.kafkaPort()), "kafka was stopped");
        assertFalse(Ports.isListening(StackConfig.HOST, config.s3Port()), "s3 was stopped");
        Stack.deleteTree(home);
    }

    private static String roundTripThroughKafka(StackConfig config, String value) throws Exception {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        String key = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            producer.send(new ProducerRecord<>(Topics.TRIALS, key, value)).get();
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-test-" + key);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(Topics.TRIALS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(key)) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("record " + key + " not consumed within 30 s");
    }

    /** Prometheus answers and has one scrape target per project service (down, since none runs here). */
    private static void assertPrometheusScrapesTheServices(StackConfig config) throws Exception {
        HttpResponse<String> targets;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do { // target discovery runs shortly after start-up
            Thread.sleep(250);
            targets = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + config.host() + ":" + config.prometheusPort()
                                            + "/api/v1/targets"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } while (targets.body().contains("\"activeTargets\":[]") && System.nanoTime() < deadline);
        assertEquals(200, targets.statusCode());
        for (StackConfig.ServiceSpec service : StackConfig.PROJECT_SERVICES) {
            assertTrue(
                    targets.body().contains("\"" + config.host() + ":" + service.port() + "\""),
                    service.name() + " is a scrape target: " + targets.body());
        }
        assertTrue(targets.body().contains("/q/metrics"), targets.body());
    }

    private static void putAndGetWithPresignedUrls(StackConfig config, String key, byte[] body) throws Exception {
        MinioClient s3 = S3Server.client(config);
        String put = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.PUT)
                .bucket(config.s3().bucket())
                .object(key)
                .expiry(600)
                .build());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> putResponse = http.send(
                HttpRequest.newBuilder(URI.create(put))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, putResponse.statusCode(), putResponse.body());
        String get = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET)
                .bucket(config.s3().bucket())
                .object(key)
                .expiry(600)
                .build());
        HttpResponse<byte[]> getResponse =
                http.send(HttpRequest.newBuilder(URI.create(get)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, getResponse.statusCode());
        assertArrayEquals(body, getResponse.body());
        HttpResponse<String> unsigned = http.send(
                HttpRequest.newBuilder(URI.create(get.substring(0, get.indexOf('?'))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode(), "an unsigned request is refused: credentials are enforced");
    }

    /**
     * A test in another class loader restarts PostgreSQL through a handle of its own ({@link Stack#attach}); the
     * others keep running, the data is kept, and the stack that started it still stops the new process.
     */
    private static void restartOneServerThroughAnotherHandle(StackConfig config) throws Exception {
        Stack handle = Stack.attach(config);
        handle.stopServer("postgres");
        assertFalse(Ports.isListening(StackConfig.HOST, config.postgresPort()), "PostgreSQL stopped");
        assertEquals("kafka still runs", roundTripThroughKafka(config, "kafka still runs"));
        handle.startServer("postgres");
        assertEquals(42, readRow(config, "scheduler"), "the row is still there after a restart of PostgreSQL");
        StackException unknown = assertThrows(StackException.class, () -> handle.stopServer("mysql"));
        assertTrue(unknown.getMessage().contains("postgres"), unknown.getMessage());
    }

    private static int writeAndReadRow(StackConfig config, String database) throws Exception {
        try (Connection c = connect(config, database);
                Statement s = c.createStatement()) {
            s.execute("create table stack_check (id int primary key, answer int)");
            s.execute("insert into stack_check values (1, 42)");
        }
        return readRow(config, database);
    }

    private static int readRow(StackConfig config, String database) throws Exception {
        try (Connection c = connect(config, database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select answer from stack_check where id = 1")) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    private static Connection connect(StackConfig config, String database) throws Exception {
        return DriverManager.getConnection(
                config.jdbcUrl(database),
                config.postgres().user(),
                config.postgres().password());
    }

    private static List<Long> pids(StackConfig config) throws Exception {
        List<Long> pids = new java.util.ArrayList<>();
        try (var files = Files.list(config.run())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(p).trim()));
            }
        }
        return pids;
    }

    private static void assertNothingRuns(StackConfig config, List<Long> pids) {
        for (long pid : pids) {
            assertFalse(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs");
        }
        for (int port :
                List.of(config.kafkaPort(), config.kafkaControllerPort(), config.s3Port(), config.postgresPort())) {
            assertFalse(Ports.isListening(StackConfig.HOST, port), "port " + port + " still listens");
        }
        assertFalse(Files.exists(config.dataDir().resolve("stack.properties")));
    }
}
