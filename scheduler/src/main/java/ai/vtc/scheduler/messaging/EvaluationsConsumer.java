package ai.vtc.scheduler.messaging;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.service.EventTransactions;
import ai.vtc.scheduler.service.RaceDirector;
import ai.vtc.scheduler.service.TrialStateMachine;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The evaluator's verdicts: accuracy for the results page, and the rungs of Pareto races for their director. */
@ApplicationScoped
public class EvaluationsConsumer {
    private final TrialStateMachine machine;
    private final EventTransactions transactions;
    private final SchedulerMetrics metrics;
    private final RaceDirector race;

    public EvaluationsConsumer(
            TrialStateMachine machine, EventTransactions transactions, SchedulerMetrics metrics, RaceDirector race) {
        this.machine = machine;
        this.transactions = transactions;
        this.metrics = metrics;
        this.race = race;
    }

    @Incoming(Channels.EVALUATIONS)
    @Blocking
    public void consume(String payload) {
        EvaluationEvent event = Json.read(payload, EvaluationEvent.class);
        EventOutcome outcome = transactions.untilStored(
                Channels.EVALUATIONS,
                () -> event instanceof EvaluationEvent.Completed done && done.isRung()
                        ? race.apply(done)
                        : machine.apply(event, payload));
        metrics.event("evaluation_" + SchedulerMetrics.typeName(event.getClass()), outcome);
    }
}
