package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.config.WorkerConfig;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Counts runs that killed their worker (kill -9, an out-of-memory kill, a native crash) as attempts. Each run of a
 * trial is recorded in object storage ({@code runs/<trial>/attempt-<n>/<worker>-<ms>.json}) before it starts and the
 * record is deleted when the run ends, however it ends in the JVM (completed, failed, stopped, an {@code Error}); a
 * record that is left over is a run whose process died. A redelivered request whose attempt has used up its budget
 * this way ({@link #deathsAllowed}) is failed instead of run again. Object storage survives a kill -9 of the worker and
 * is where the next worker looks anyway, so it keeps the records rather than the worker's disk or the scheduler.
 */
@ApplicationScoped
public class TrialRuns {
    private static final Logger LOG = Logger.getLogger(TrialRuns.class);

    private final ObjectStore store;
    private final WorkerConfig config;

    public TrialRuns(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.config = config;
    }

    /** What a run's record holds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TrialRun(String trialId, int attempt, String workerId, Instant startedAt) {}

    /** The runs of this request's attempt that died with their process, oldest first. */
    public List<TrialRun> died(TrialRequested trial) {
        List<TrialRun> runs = new ArrayList<>();
        for (String key : store.list(Keys.runs(trial.trialId(), trial.attempt()))) {
            try {
                runs.add(Json.read(new String(store.get(key), StandardCharsets.UTF_8), TrialRun.class));
            } catch (RuntimeException e) { // a record cut short still says that a run began
                LOG.warnf("run record %s is unreadable (%s); counted as a run that died", key, e.getMessage());
                runs.add(new TrialRun(trial.trialId(), trial.attempt(), "unknown", Instant.EPOCH));
            }
        }
        runs.sort(Comparator.comparing(TrialRun::startedAt));
        return runs;
    }

    /**
     * How many runs of this request's attempt may die before it is failed: the attempts left up to
     * {@code last_allowed_attempt}, this one included ({@code worker.max-attempts-per-trial} when the request does not
     * say).
     */
    public int deathsAllowed(TrialRequested trial) {
        int last = trial.lastAllowedAttempt() != null
                ? trial.lastAllowedAttempt()
                : trial.attempt() + config.maxAttemptsPerTrial() - 1;
        return Math.max(1, last - trial.attempt() + 1);
    }

    /** The reason a request whose runs died too often fails with. */
    public static String reason(List<TrialRun> died) {
        TrialRun last = died.get(died.size() - 1);
        return "worker process died " + died.size() + " times while running this trial: last on worker "
                + last.workerId() + " (started " + last.startedAt() + ")";
    }

    /** Records a run before it starts; closing the handle deletes the record. */
    public Recorded begin(TrialRequested trial) {
        Instant now = Instant.now();
        String key = Keys.run(trial.trialId(), trial.attempt(), config.workerId(), now.toEpochMilli());
        TrialRun run = new TrialRun(trial.trialId(), trial.attempt(), config.workerId(), now);
        store.put(key, Json.write(run).getBytes(StandardCharsets.UTF_8), "application/json");
        return () -> {
            try {
                store.delete(key);
            } catch (RuntimeException e) {
                // left over it would count as a death: say so, the operator can delete it
                LOG.warnf("cannot delete the record %s of a run that ended: %s", key, e.toString());
            }
        };
    }

    /** A recorded run; closing it deletes the record (the run ended in this JVM). */
    public interface Recorded extends AutoCloseable {
        @Override
        void close();
    }
}
