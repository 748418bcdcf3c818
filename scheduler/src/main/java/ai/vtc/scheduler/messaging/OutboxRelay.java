package ai.vtc.scheduler.messaging;

import ai.vtc.contracts.Json;
import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.service.Outbox;
import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox. It claims the oldest rows that no relay is sending (a column, so replicas never send the same
 * row concurrently and no row lock is held while the broker answers), sends them keyed by trial id, waits for every
 * broker acknowledgement and deletes them. A crash or a kill -9 before the delete leaves the rows, which are sent
 * again once their claim lapses: delivery is at least once, never lost, in row order per trial; consumers drop the
 * duplicates (the workers by the trial's lease and {@code _DONE}). Wakes right after a transaction that wrote rows
 * commits, and polls besides.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final SchedulerConfig config;
    private final SchedulerMetrics metrics;
    private final String bootstrapServers;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(
            SchedulerConfig config,
            SchedulerMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        if (!config.outbox().enabled()) {
            LOG.warn("the outbox relay is off (scheduler.outbox.enabled=false): accepted trials stay unpublished");
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(10_000);
            producer.close();
        }
    }

    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written event) {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                wake.drainPermits();
                while (running && publishBatch() > 0) {
                    // keep going while there is a backlog
                }
                wake.tryAcquire(config.outbox().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("publishing the outbox failed, trying again shortly: %s", e.toString());
                sleep(config.outbox().retryBackoff().toMillis());
            }
        }
    }

    /**
     * Publishes one batch; returns how many rows it published. Three steps, none of which holds a lock while the
     * broker is asked: claim the rows (a short transaction), send them and wait for every acknowledgement (no
     * transaction), delete them (a short transaction). A refusal or a crash in between leaves rows that are sent
     * again once their claim lapses: at least once, never lost.
     */
    int publishBatch() throws Exception {
        Duration ackTimeout = config.outbox().ackTimeout();
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew()
                .call(() -> OutboxEntity.claimOldest(config.outbox().batchSize(), ackTimeout.multipliedBy(2)));
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxEntity row : rows) {
            acks.add(producer.send(record(row)));
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS); // a refusal: the rows stay
        }
        QuarkusTransaction.requiringNew()
                .run(() -> OutboxEntity.deleteIds(rows.stream().map(r -> r.id).toList()));
        rows.forEach(row -> metrics.published(row.topic));
        return rows.size();
    }

    private static ProducerRecord<String, String> record(OutboxEntity row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.messageKey, row.payload);
        if (row.headers != null) {
            try {
                Json.mapper()
                        .readValue(row.headers, HEADERS)
                        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("outbox row " + row.id + " has unreadable headers", e);
            }
        }
        return record;
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "scheduler-outbox");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a broker that is away fails the batch within the ack timeout; its rows are sent again after their claim
        long ackMillis = config.outbox().ackTimeout().toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackMillis));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, ackMillis / 2)));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ackMillis));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
