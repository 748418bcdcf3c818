package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/** The evaluator's verdict on a trial's predictions, on {@link Topics#EVALUATIONS} keyed by trial id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EvaluationEvent.Completed.class, name = "completed"),
    @JsonSubTypes.Type(value = EvaluationEvent.Failed.class, name = "failed")
})
public sealed interface EvaluationEvent {
    String trialId();

    String sweepId();

    Instant at();

    /** Official VQAv2 accuracy in percent, rounded to 2 decimals as the official code does. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Completed(
            String trialId,
            String sweepId,
            Instant at,
            double overall,
            Map<String, Double> perAnswerType,
            Map<String, Double> perQuestionType,
            int questions)
            implements EvaluationEvent {}

    /** The predictions could not be evaluated (missing or unknown question ids, malformed JSON, ...). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failed(String trialId, String sweepId, Instant at, String reason) implements EvaluationEvent {}
}
