package ai.vtc.scheduler;

import ai.vtc.contracts.Json;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plays a worker or the evaluator: sends events keyed by trial id and waits for the broker. */
final class EventSender implements AutoCloseable {
    private final KafkaProducer<String, String> producer;

    EventSender() {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    void send(String topic, String trialId, Object event) {
        sendRaw(topic, trialId, Json.write(event));
    }

    void sendRaw(String topic, String trialId, String json) {
        try {
            producer.send(new ProducerRecord<>(topic, trialId, json)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
