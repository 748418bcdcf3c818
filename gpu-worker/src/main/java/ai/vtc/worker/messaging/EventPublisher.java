package ai.vtc.worker.messaging;

import ai.vtc.contracts.DeadLetters;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.worker.service.EventSink;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Everything the worker publishes, keyed by trial id, each send confirmed by the broker before it returns: a
 * trial's offset is committed only after its outcome is on Kafka. A plain producer, since the worker's trial loop is
 * a plain consumer too (see {@link TrialLoop}).
 */
@ApplicationScoped
public class EventPublisher implements EventSink, AutoCloseable {
    private final KafkaProducer<String, String> producer;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    @Override
    public void event(TrialEvent event) {
        send(new ProducerRecord<>(Topics.TRIAL_EVENTS, event.trialId(), Json.write(event)));
    }

    @Override
    public void predictionsReady(PredictionsReady ready) {
        send(new ProducerRecord<>(Topics.PREDICTIONS, ready.trialId(), Json.write(ready)));
    }

    /** The original record to {@code trials.dlq} with why, and where it came from, in headers. */
    @Override
    public void deadLetter(String key, String value, String reason, String sourceTopic) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TRIALS_DLQ, key, value);
        DeadLetters.headers(sourceTopic, reason)
                .forEach((name, text) -> record.headers().add(name, DeadLetters.bytes(text)));
        send(record);
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
