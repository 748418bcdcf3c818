package ai.vtc.scheduler.messaging;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.service.EventTransactions;
import ai.vtc.scheduler.service.TrialStateMachine;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The workers' reports; unreadable records go to {@code trials.dlq} (the channel's failure strategy). */
@ApplicationScoped
public class TrialEventsConsumer {
    private final TrialStateMachine machine;
    private final EventTransactions transactions;
    private final SchedulerMetrics metrics;

    public TrialEventsConsumer(TrialStateMachine machine, EventTransactions transactions, SchedulerMetrics metrics) {
        this.machine = machine;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @Incoming(Channels.TRIAL_EVENTS)
    @Blocking
    public void consume(String payload) {
        TrialEvent event = Json.read(payload, TrialEvent.class);
        EventOutcome outcome = transactions.untilStored(Channels.TRIAL_EVENTS, () -> machine.apply(event, payload));
        metrics.event(SchedulerMetrics.typeName(event.getClass()), outcome);
    }
}
