package ai.vtc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain consumer in a group of its own that reads a whole topic from the beginning. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    TopicReader(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "scheduler-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Every record with one of {@code keys}: polls until at least {@code expected} arrived (or the timeout), then
     * {@code settle} longer so that duplicates would show.
     */
    List<ConsumerRecord<String, String>> recordsFor(
            Collection<String> keys, int expected, Duration timeout, Duration settle) {
        Set<String> wanted = Set.copyOf(keys);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(wanted).size() < expected && System.nanoTime() < deadline) {
            poll();
        }
        long settleEnd = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settleEnd) {
            poll();
        }
        return matching(wanted);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    private List<ConsumerRecord<String, String>> matching(Set<String> keys) {
        return records.stream().filter(r -> keys.contains(r.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
