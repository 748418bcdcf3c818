package ai.vtc.worker.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A worker's claim on the attempt it runs ({@code leases/<trial>.json}), renewed with each heartbeat: another
 * worker that receives the same request (published twice, or handed over by a rebalance) leaves the trial alone
 * while the claim holds.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialLease(String trialId, int attempt, String workerId, Instant renewedAt, Instant expiresAt) {
    /** Whether this claim keeps {@code workerId} from running {@code attempt} at {@code now}. */
    public boolean excludes(String otherWorker, int attempt, Instant now) {
        return !workerId.equals(otherWorker) && this.attempt >= attempt && expiresAt.isAfter(now);
    }
}
