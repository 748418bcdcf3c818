package ai.vtc.scheduler.service;

import ai.vtc.contracts.Backoff;
import ai.vtc.contracts.DatabaseFailures;
import ai.vtc.contracts.UntilDone;
import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.health.ConsumerHealth;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Applies a consumed event in a transaction of its own and, while PostgreSQL is away or aborts the transaction,
 * applies it again with growing pauses until it is stored ({@link UntilDone}): the consumer method does not return
 * before, so the record is not committed and the channel consumes nothing else meanwhile. A fault is never turned
 * into a dead letter. After {@code scheduler.database-retry.unhealthy-after} the service reports itself DOWN
 * ({@link ConsumerHealth}). Only failures that stay the same when tried again (bad data, a bug) are thrown, for the
 * channel's dead-letter strategy.
 */
@ApplicationScoped
public class EventTransactions implements UntilDone.Observer {
    private static final Logger LOG = Logger.getLogger(EventTransactions.class);

    private final UntilDone untilDone;
    private final ConsumerHealth health;
    private final SchedulerMetrics metrics;

    public EventTransactions(SchedulerConfig config, ConsumerHealth health, SchedulerMetrics metrics) {
        SchedulerConfig.DatabaseRetry retry = config.databaseRetry();
        this.untilDone = new UntilDone(
                retry.firstPause(), retry.maxPause(), retry.unhealthyAfter(), DatabaseFailures::isTransient, this);
        this.health = health;
        this.metrics = metrics;
    }

    /** Runs {@code work} in a new transaction until it commits; an event of {@code channel}. */
    public <T> T untilStored(String channel, Supplier<T> work) {
        return untilDone.call(channel, () -> QuarkusTransaction.requiringNew().call(work::get));
    }

    @Override
    public void retrying(String channel, RuntimeException failure, int failures, Duration pause) {
        metrics.retried(channel);
        LOG.warnf(
                "%s: the database cannot store the event now (try %d, again in %d ms): %s",
                channel, failures, pause.toMillis(), UntilDone.rootMessage(failure));
    }

    @Override
    public void stuck(String channel, Backoff.GaveUp failure) {
        LOG.errorf(
                "%s: consuming nothing else until the database stores this event: %s", channel, failure.getMessage());
        health.stuck(channel, failure.getMessage());
    }

    @Override
    public void recovered(String channel) {
        health.recovered(channel);
    }
}
