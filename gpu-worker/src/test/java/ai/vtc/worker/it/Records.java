package ai.vtc.worker.it;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.stack.StackConfig;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Collects every record of some topics in the background, for assertions that wait. */
final class Records implements AutoCloseable {
    final List<ConsumerRecord<String, String>> all = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    Records(StackConfig stack, List<String> topics) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "worker-it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(topics);
        thread = new Thread(() -> {
            try {
                while (running) {
                    consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    List<TrialEvent> events(String trialId) {
        return all.stream()
                .filter(r -> r.topic().equals("trial-events") && trialId.equals(r.key()))
                .map(r -> Json.read(r.value(), TrialEvent.class))
                .toList();
    }

    List<PredictionsReady> predictions(String trialId) {
        return all.stream()
                .filter(r -> r.topic().equals("predictions") && trialId.equals(r.key()))
                .map(r -> Json.read(r.value(), PredictionsReady.class))
                .toList();
    }

    <T extends TrialEvent> T awaitEvent(String trialId, Class<T> type, Predicate<T> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (TrialEvent e : events(trialId)) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + type.getSimpleName() + " for trial " + trialId + " within " + timeout
                + "; events so far: " + events(trialId));
    }

    ConsumerRecord<String, String> await(Predicate<ConsumerRecord<String, String>> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : all) {
                if (match.test(r)) {
                    return r;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching record within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
