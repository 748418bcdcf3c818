package ai.vtc.worker.messaging;

import ai.vtc.contracts.Topics;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.TrialExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@code trials} in group {@code gpu-workers}, one trial at a time. A trial runs for minutes to hours, so
 * it runs on its own thread while this loop keeps polling with every partition paused (the consumer stays in the
 * group and fetches nothing ahead), and the record's offset is committed only once the trial's outcome has been
 * published. A crashed worker's uncommitted trial is therefore re-delivered to another worker, which resumes it
 * from its checkpoint. Written with the plain Kafka consumer rather than an {@code @Incoming} method because it
 * needs exactly this control over pausing, committing and partition revocation.
 */
@ApplicationScoped
public class TrialLoop {
    private static final Logger LOG = Logger.getLogger(TrialLoop.class);

    private final TrialExecutor executor;
    private final StopSignal stop;
    private final WorkerConfig config;
    private final String bootstrap;
    private final ExecutorService trialThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "trial-runner"));
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> consumer;
    private volatile ConsumerRecord<String, String> inFlight;
    private volatile boolean running = true;

    public TrialLoop(
            TrialExecutor executor,
            StopSignal stop,
            WorkerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.executor = executor;
        this.stop = stop;
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.consume()) {
            Thread thread = new Thread(this::loop, "trials-consumer");
            thread.setDaemon(true);
            thread.start();
        } else {
            finished.countDown();
        }
    }

    /** SIGTERM: the running trial checkpoints and stops; its offset stays uncommitted for the next worker. */
    void onStop(@Observes ShutdownEvent event) {
        stop.shutdown();
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (!finished.await(config.shutdownGraceSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("the running trial did not stop within the shutdown grace period");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trialThread.shutdownNow();
    }

    private void loop() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties())) {
            consumer = c;
            c.subscribe(List.of(Topics.TRIALS), new Rebalance(c));
            while (running) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                    if (!running) {
                        break;
                    }
                    // One record per poll (max.poll.records=1); anything else was fetched before the pause.
                    process(c, record);
                }
            }
        } catch (WakeupException e) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.error("the trials consumer stopped", e);
        } finally {
            consumer = null;
            finished.countDown();
        }
    }

    private void process(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        c.pause(c.assignment());
        inFlight = record;
        Future<TrialExecutor.Outcome> outcome =
                trialThread.submit(() -> executor.process(record.key(), record.value()));
        try {
            while (!outcome.isDone()) {
                for (ConsumerRecord<String, String> early : c.poll(Duration.ofMillis(500))) {
                    // Fetched from a partition assigned while busy: read it again once this trial is done.
                    c.seek(new TopicPartition(early.topic(), early.partition()), early.offset());
                    c.pause(c.assignment());
                }
            }
            TrialExecutor.Outcome result = outcome.get();
            if (result == TrialExecutor.Outcome.DONE && c.assignment().contains(partition)) {
                c.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            } else if (result == TrialExecutor.Outcome.STOPPED && c.assignment().contains(partition)) {
                c.seek(partition, record.offset());
            }
        } catch (WakeupException e) {
            waitForTrial(outcome);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("trial " + record.key() + " crashed the runner; it will be delivered again", e.getCause());
            c.seek(partition, record.offset());
        } finally {
            inFlight = null;
            stop.clearReassignment();
            c.resume(c.paused());
        }
    }

    /** On shutdown the trial is asked to checkpoint; wait for it before the consumer closes. */
    private void waitForTrial(Future<TrialExecutor.Outcome> outcome) {
        try {
            outcome.get(config.shutdownGraceSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the running trial did not stop cleanly: " + e.getMessage());
        }
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.GPU_WORKERS_GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.sessionTimeoutMs());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(1000, config.sessionTimeoutMs() / 4));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** Keeps new partitions paused while a trial runs; a revoked partition stops its trial (the new owner resumes). */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> c;

        Rebalance(KafkaConsumer<String, String> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (inFlight != null) {
                c.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            ConsumerRecord<String, String> record = inFlight;
            if (record != null && partitions.contains(new TopicPartition(record.topic(), record.partition()))) {
                LOG.infof(
                        "partition of trial %s moved to another worker; stopping it after a checkpoint", record.key());
                stop.reassigned(record.key());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
