package ai.vtc.scheduler.messaging;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.service.EventTransactions;
import ai.vtc.scheduler.service.TrialStateMachine;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The evaluator's verdicts: accuracy for the results page. */
@ApplicationScoped
public class EvaluationsConsumer {
    private final TrialStateMachine machine;
    private final EventTransactions transactions;
    private final SchedulerMetrics metrics;

    public EvaluationsConsumer(TrialStateMachine machine, EventTransactions transactions, SchedulerMetrics metrics) {
        this.machine = machine;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @Incoming(Channels.EVALUATIONS)
    @Blocking
    public void consume(String payload) {
        EvaluationEvent event = Json.read(payload, EvaluationEvent.class);
        EventOutcome outcome = transactions.untilStored(Channels.EVALUATIONS, () -> machine.apply(event, payload));
        metrics.event("evaluation_" + SchedulerMetrics.typeName(event.getClass()), outcome);
    }
}
