package ai.vtc.evaluator.messaging;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.Channels;
import ai.vtc.contracts.DeadLetters;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.Topics;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.service.EvaluationService;
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
 * consumer never stops on a bad record.
 */
@ApplicationScoped
public class PredictionsConsumer {
    private static final Logger LOG = Logger.getLogger(PredictionsConsumer.class);

    private final EvaluationService evaluations;
    private final Emitter<String> out;
    private final Emitter<String> deadLetters;

    public PredictionsConsumer(
            EvaluationService evaluations,
            @Channel(Channels.EVALUATIONS) Emitter<String> out,
            @Channel(Channels.DEAD_LETTERS) Emitter<String> deadLetters) {
        this.evaluations = evaluations;
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
        send(out, result.trialId, Json.write(event(result)), new RecordHeaders());
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
                e.questions);
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
