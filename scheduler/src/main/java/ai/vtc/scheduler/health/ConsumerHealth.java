package ai.vtc.scheduler.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which consumers have been unable to store their event for longer than allowed: the scheduler then consumes nothing
 * on that channel (the event is neither applied nor committed). {@link ConsumersCheck} reports it.
 */
@ApplicationScoped
public class ConsumerHealth {
    private final Map<String, String> stuck = new ConcurrentHashMap<>();
    private volatile Instant listeningSince = Instant.now();

    /** The consumer of {@code channel} has been failing too long, last with {@code reason}. */
    public void stuck(String channel, String reason) {
        stuck.put(channel, reason);
    }

    public void recovered(String channel) {
        if (stuck.remove(channel) != null && stuck.isEmpty()) {
            listeningSince = Instant.now();
        }
    }

    /**
     * Since when every consumer has been applying events (the start, or the end of the last stretch DOWN); null while
     * one is DOWN. Silence is only a worker's over a stretch the scheduler was listening: after a database outage
     * the heartbeats of that time are still waiting on the topic.
     */
    public Instant listeningSince() {
        return stuck.isEmpty() ? listeningSince : null;
    }

    /** Each stuck channel with its last failure. */
    public Map<String, String> stuck() {
        return Map.copyOf(stuck);
    }
}
