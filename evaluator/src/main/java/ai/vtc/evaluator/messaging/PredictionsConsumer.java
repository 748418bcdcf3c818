package ai.vtc.evaluator.messaging;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.Channels;
import ai.vtc.contracts.DeadLetters;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.Topics;
import ai.vtc.evaluator.metrics.AccuracyMetrics;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.service.EvaluationService;
import ai.vtc.evaluator.service.SweepComparisons;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * {@code predictions} in, {@code evaluations} out. Every record gets an answer on {@code evaluations}: the stored
 * result (also for a duplicate) or a failed evaluation with the reason; an unreadable record goes to the DLQ. The
 * consumer never stops on a bad record. A completed result is announced with its comparison to the reference, and
 * the sweep-mates whose comparison it changed are announced again.
 */
@ApplicationScoped
public class PredictionsConsumer {
    private static final Logger LOG = Logger.getLogger(PredictionsConsumer.class);

    private final EvaluationService evaluations;
    private final SweepComparisons comparisons;
    private final AccuracyMetrics metrics;
    private final Emitter<String> out;
    private final Emitter<String> deadLetters;

    public PredictionsConsumer(
            EvaluationService evaluations,
            SweepComparisons comparisons,
            AccuracyMetrics metrics,
            @Channel(Channels.EVALUATIONS) Emitter<String> out,
            @Channel(Channels.DEAD_LETTERS) Emitter<String> deadLetters) {
        this.evaluations = evaluations;
        this.comparisons = comparisons;
        this.metrics = metrics;
        this.out = out;
        this.deadLetters = deadLetters;
    }

    @Incoming(Channels.PREDICTIONS)
    @Blocking(ordered = false)
    public void onPredictions(String json) {
        PredictionsReady ready;
        try {
            ready = Json.read(json, PredictionsReady.class);
            if (ready.trialId() == null
                    || ready.predictionsUri() == null
                    || ready.dataset() == null
                    || ready.compression() == null) {
                throw new IllegalArgumentException(
                        "PredictionsReady lacks trial_id, predictions_uri, dataset or compression");
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("unreadable predictions record sent to the DLQ: %s", e.getMessage());
            RecordHeaders headers = new RecordHeaders();
            DeadLetters.headers(Topics.PREDICTIONS, e)
                    .forEach((name, text) -> headers.add(name, DeadLetters.bytes(text)));
            send(deadLetters, null, json, headers);
            return;
        }
        EvaluationEntity result = evaluations.evaluate(ready);
        if (!result.isCompleted()) {
            send(out, result.trialId, Json.write(event(result)), new RecordHeaders());
            return;
        }
        announceWithComparisons(result.trialId);
    }

    /**
     * Announces the trial, and every sweep-mate whose comparison changed with it, while holding its sweep's lock: two
     * announcements of one trial are then sent in the order of the states they describe, so the last one on the topic
     * is the current one.
     */
    private void announceWithComparisons(String trialId) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (EvaluationEntity e : comparisons.refresh(trialId)) {
                metrics.show(e);
                send(out, e.trialId, Json.write(event(e)), new RecordHeaders());
            }
        });
    }

    static EvaluationEvent event(EvaluationEntity e) {
        if (!e.isCompleted()) {
            return new EvaluationEvent.Failed(e.trialId, e.sweepId, e.evaluatedAt, e.reason);
        }
        return new EvaluationEvent.Completed(
                e.trialId,
                e.sweepId,
                e.evaluatedAt == null ? Instant.now() : e.evaluatedAt,
                e.overall,
                AccuracyByType.read(e.perAnswerType),
                AccuracyByType.read(e.perQuestionType),
                e.questions,
                e.accuracyLower,
                e.accuracyUpper,
                e.referenceComparison(),
                e.comparisonNote,
                e.metricName());
    }

    /** Sends and waits for the broker, so the input record is acknowledged only after its answer is out. */
    private static void send(Emitter<String> emitter, String key, String payload, RecordHeaders headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build();
        emitter.send(Message.of(payload)
                .addMetadata(metadata)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        acked.join();
    }
}
