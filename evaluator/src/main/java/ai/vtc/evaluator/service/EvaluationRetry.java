package ai.vtc.evaluator.service;

import ai.vtc.contracts.Backoff;
import ai.vtc.contracts.DatabaseFailures;
import ai.vtc.contracts.UntilDone;
import ai.vtc.evaluator.config.EvaluatorConfig;
import ai.vtc.evaluator.metrics.AccuracyMetrics;
import ai.vtc.storage.StorageFailures;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Runs the work for one trial's record until it succeeds, one record of a trial at a time: evaluations of different
 * trials run in parallel, two of the same trial (a duplicate, a re-announcement) one after the other, so the second
 * finds the first's result. Across replicas the second insert of a result fails on its key and is tried again, which
 * finds it too. Faults that go away by themselves (the database, object storage or broker away) are waited out
 * ({@link UntilDone}); after {@code evaluator.retry.unhealthy-after} the evaluator reports itself DOWN.
 */
@ApplicationScoped
public class EvaluationRetry implements UntilDone.Observer {
    private static final Logger LOG = Logger.getLogger(EvaluationRetry.class);
    private static final int STRIPES = 64;

    private final UntilDone untilDone;
    private final AccuracyMetrics metrics;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Map<String, String> stuck = new ConcurrentHashMap<>();

    public EvaluationRetry(EvaluatorConfig config, AccuracyMetrics metrics) {
        EvaluatorConfig.Retry retry = config.retry();
        this.untilDone = new UntilDone(
                retry.firstPause(), retry.maxPause(), retry.unhealthyAfter(), EvaluationRetry::isTransient, this);
        this.metrics = metrics;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Runs {@code work} for a record of {@code trialId} from {@code channel}, after the trial's earlier records. */
    public <T> T forTrial(String channel, String trialId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(trialId.hashCode(), STRIPES)];
        lock.lock();
        try {
            return untilDone.call(channel, work);
        } finally {
            lock.unlock();
        }
    }

    /** Each channel that has been failing too long, with its last failure. */
    public Map<String, String> stuck() {
        return Map.copyOf(stuck);
    }

    static boolean isTransient(Throwable failure) {
        if (DatabaseFailures.isTransient(failure) || StorageFailures.isTransient(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof RetriableException) { // the broker did not take the announcement in time
                return true;
            }
        }
        return false;
    }

    @Override
    public void retrying(String channel, RuntimeException failure, int failures, Duration pause) {
        metrics.retried(channel);
        LOG.warnf(
                "%s: cannot evaluate now (try %d, again in %d ms): %s",
                channel, failures, pause.toMillis(), UntilDone.rootMessage(failure));
    }

    @Override
    public void stuck(String channel, Backoff.GaveUp failure) {
        LOG.errorf("%s: consuming nothing else until this evaluation succeeds: %s", channel, failure.getMessage());
        stuck.put(channel, failure.getMessage());
    }

    @Override
    public void recovered(String channel) {
        stuck.remove(channel);
    }
}
