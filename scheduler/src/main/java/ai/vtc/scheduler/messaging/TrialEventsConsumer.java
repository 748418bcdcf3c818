package ai.vtc.scheduler.messaging;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.service.EventTransactions;
import ai.vtc.scheduler.service.RaceDirector;
import ai.vtc.scheduler.service.TrialStateMachine;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The workers' reports; unreadable records go to {@code trials.dlq} (the channel's failure strategy). A trial that
 * ends without a result may complete a rung its race waited for.
 */
@ApplicationScoped
public class TrialEventsConsumer {
    private final TrialStateMachine machine;
    private final EventTransactions transactions;
    private final SchedulerMetrics metrics;
    private final RaceDirector race;

    public TrialEventsConsumer(
            TrialStateMachine machine, EventTransactions transactions, SchedulerMetrics metrics, RaceDirector race) {
        this.machine = machine;
        this.transactions = transactions;
        this.metrics = metrics;
        this.race = race;
    }

    @Incoming(Channels.TRIAL_EVENTS)
    @Blocking
    public void consume(String payload) {
        TrialEvent event = Json.read(payload, TrialEvent.class);
        EventOutcome outcome = transactions.untilStored(Channels.TRIAL_EVENTS, () -> {
            EventOutcome applied = machine.apply(event, payload);
            if (applied == EventOutcome.APPLIED
                    && (event instanceof TrialEvent.Failed || event instanceof TrialEvent.Cancelled)) {
                race.trialChanged(event.trialId());
            }
            return applied;
        });
        metrics.event(SchedulerMetrics.typeName(event.getClass()), outcome);
    }
}
