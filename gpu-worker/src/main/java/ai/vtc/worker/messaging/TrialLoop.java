package ai.vtc.worker.messaging;

import ai.vtc.contracts.Topics;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.TrialExecutor;
import ai.vtc.worker.service.WorkerDevice;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
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
    private final WorkerDevice device;
    private final String bootstrap;
    private final ExecutorService trialThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "trial-runner"));
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> consumer;
    private final ConsumerHealth health = new ConsumerHealth();
    private volatile ConsumerRecord<String, String> inFlight;
    private volatile Future<TrialExecutor.Outcome> inFlightOutcome;
    /** The in-flight record was committed when its partition was revoked. */
    private volatile boolean committedOnRevoke;

    private volatile boolean running = true;
    private long nextProbeNanos;

    public TrialLoop(
            TrialExecutor executor,
            StopSignal stop,
            WorkerConfig config,
            WorkerDevice device,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.executor = executor;
        this.stop = stop;
        this.config = config;
        this.device = device;
        this.bootstrap = bootstrap;
    }

    /**
     * Starts consuming, unless this worker lacks the device it is configured for: then it takes no trial at all (they
     * stay on the topic for workers that can run them) and its health checks say why.
     */
    void onStart(@Observes StartupEvent event) {
        Optional<String> missing = config.consume() ? device.problem() : Optional.empty();
        if (missing.isPresent()) {
            LOG.errorf("not consuming trials: %s", missing.get());
            health.notStarted(missing.get());
            finished.countDown();
        } else if (config.consume()) {
            health.started();
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

    /** Whether the consumer can consume: for the health check. */
    public ConsumerHealth health() {
        return health;
    }

    /**
     * Consumes until shutdown. A consumer that fails (a broker error, a commit or seek refused in a rebalance, a bug)
     * is closed and made again after a pause that grows to 30 s: its uncommitted record comes back, to this worker or
     * to the partition's new owner. Only shutdown ends the thread.
     */
    private void loop() {
        long backoffMillis = 1000;
        try {
            while (running) {
                try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties())) {
                    consumer = c;
                    c.subscribe(List.of(Topics.TRIALS), new Rebalance(c));
                    while (running) {
                        ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                        probe(c);
                        for (ConsumerRecord<String, String> record : records) {
                            if (!running) {
                                break;
                            }
                            // One record per poll (max.poll.records=1); anything else was fetched before the pause.
                            process(c, record);
                        }
                        backoffMillis = 1000;
                    }
                } catch (WakeupException e) {
                    // shutdown
                } catch (RuntimeException | Error e) {
                    health.failing(e);
                    LOG.errorf(
                            e,
                            "the trials consumer failed; a new one starts in %d ms (the uncommitted record comes back)",
                            backoffMillis);
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, 30_000);
                } finally {
                    consumer = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            health.ended();
            finished.countDown();
        }
    }

    /**
     * A poll that returns no records says nothing about the broker (it retries quietly), so every few seconds the
     * consumer asks the broker for its topics: the health check turns DOWN when that keeps failing.
     */
    private void probe(KafkaConsumer<String, String> c) {
        long now = System.nanoTime();
        if (now < nextProbeNanos) {
            return;
        }
        Duration every = config.consumerUnhealthyAfter().dividedBy(4);
        Duration timeout = every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
        try {
            c.listTopics(timeout);
            health.ok();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            health.failing(e);
            LOG.warnf("the broker does not answer the trials consumer: %s", e.toString());
        }
        nextProbeNanos = System.nanoTime() + every.toNanos();
    }

    private void process(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        c.pause(c.assignment());
        committedOnRevoke = false;
        inFlight = record;
        Future<TrialExecutor.Outcome> outcome =
                trialThread.submit(() -> executor.process(record.key(), record.value()));
        inFlightOutcome = outcome;
        try {
            while (!outcome.isDone()) {
                pollWhileBusy(c);
            }
            TrialExecutor.Outcome result = outcome.get();
            if (committedOnRevoke) {
                return;
            }
            if (result == TrialExecutor.Outcome.DONE) {
                commit(c, record);
            } else {
                seekBack(c, partition, record.offset());
            }
        } catch (WakeupException e) {
            waitForTrial(outcome);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                // a runner that throws an Error throws it on every delivery: a failed attempt, not a redelivery
                LOG.error("trial " + record.key() + " threw an error; reported as a failed attempt", error);
                executor.crashed(record.key(), record.value(), error);
                commit(c, record);
            } else {
                LOG.error("trial " + record.key() + " crashed the runner; it will be delivered again", e.getCause());
                seekBack(c, partition, record.offset());
            }
        } finally {
            inFlight = null;
            inFlightOutcome = null;
            stop.clearReassignment();
            c.resume(c.paused());
        }
    }

    /**
     * Keeps the consumer in its group while a trial runs. A record from a partition assigned meanwhile is read
     * again once the trial is done; a failing poll is waited out (the trial goes on).
     */
    private void pollWhileBusy(KafkaConsumer<String, String> c) throws InterruptedException {
        try {
            for (ConsumerRecord<String, String> early : c.poll(Duration.ofMillis(500))) {
                seekBack(c, new TopicPartition(early.topic(), early.partition()), early.offset());
                c.pause(c.assignment());
            }
            probe(c);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            health.failing(e);
            LOG.warnf("polling while a trial runs failed, polling again: %s", e.toString());
            Thread.sleep(1000);
        }
    }

    /**
     * Commits the record's offset. A commit the group refuses (a rebalance took the partition) leaves it to the
     * partition's new owner, which finds the trial done and announces its stored result again.
     */
    private void commit(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!c.assignment().contains(partition)) {
            LOG.infof("the partition of trial %s moved to another worker; its offset is that worker's", record.key());
            return;
        }
        try {
            c.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf(
                    "the offset of trial %s was not committed (%s): the record is delivered again, here or to the"
                            + " partition's new owner",
                    record.key(), e.toString());
        }
    }

    /** Reads the record again at the next poll, unless its partition was taken away meanwhile. */
    private static void seekBack(KafkaConsumer<String, String> c, TopicPartition partition, long offset) {
        try {
            if (c.assignment().contains(partition)) {
                c.seek(partition, offset);
            }
        } catch (IllegalStateException e) { // revoked between the check and the seek: the new owner reads it
            LOG.infof("partition %s was taken away before its seek: %s", partition, e.getMessage());
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

    /**
     * Keeps new partitions paused while a trial runs. A partition taken away in a rebalance stops its trial before
     * the partition is handed over: the trial checkpoints and stops (as on SIGTERM) while this callback waits, so the
     * new owner finds its lease given up and resumes from the checkpoint, and never runs it next to this worker.
     */
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
            Future<TrialExecutor.Outcome> outcome = inFlightOutcome;
            TopicPartition partition = record == null ? null : new TopicPartition(record.topic(), record.partition());
            if (record == null || outcome == null || !partitions.contains(partition)) {
                return;
            }
            LOG.infof(
                    "partition of trial %s moves to another worker; the trial checkpoints and stops before it is"
                            + " handed over",
                    record.key());
            stop.reassigned(record.key());
            try {
                TrialExecutor.Outcome result = outcome.get(config.shutdownGraceSeconds(), TimeUnit.SECONDS);
                LOG.infof("trial %s ended (%s) before its partition was handed over", record.key(), result);
                if (result == TrialExecutor.Outcome.DONE) {
                    c.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
                    committedOnRevoke = true;
                }
            } catch (TimeoutException e) {
                LOG.warnf(
                        "trial %s did not stop within %d s; its partition is handed over anyway (the new owner waits"
                                + " while this worker's lease is renewed)",
                        record.key(), config.shutdownGraceSeconds());
            } catch (ExecutionException e) {
                // the loop reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (KafkaException e) {
                LOG.warnf("the offset of trial %s was not committed before the handover: %s", record.key(), e);
            }
        }

        /** The partitions already belong to another member: stop the trial, there is nothing left to hand over. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            ConsumerRecord<String, String> record = inFlight;
            if (record != null && partitions.contains(new TopicPartition(record.topic(), record.partition()))) {
                LOG.infof(
                        "partition of trial %s was lost to another worker; stopping it after a checkpoint",
                        record.key());
                stop.reassigned(record.key());
            }
        }
    }
}
