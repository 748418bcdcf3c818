package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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

    /**
     * Official VQAv2 accuracy in percent, rounded to 2 decimals as the official code does, with its statistics. The
     * evaluator announces a trial again when its comparison changes (its reference was evaluated after it), so the
     * latest event of a trial is the one that holds.
     *
     * @param accuracyLower lower bound of the accuracy's 95% bootstrap interval over questions (absent in older events)
     * @param accuracyUpper upper bound of that interval
     * @param comparison the paired difference to the reference trial; null without one
     * @param comparisonNote why {@code comparison} is null ({@link ReferenceComparison#NO_REFERENCE}, ...)
     * @param metric the metric {@code overall} and its statistics are in ({@link DatasetTask#metric()}:
     *     {@code vqa_accuracy}, or {@code anls} as 100 x ANLS for DocVQA); absent in older events, which are
     *     {@code vqa_accuracy} ({@link #metricName()})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Completed(
            String trialId,
            String sweepId,
            Instant at,
            double overall,
            Map<String, Double> perAnswerType,
            Map<String, Double> perQuestionType,
            int questions,
            Double accuracyLower,
            Double accuracyUpper,
            ReferenceComparison comparison,
            String comparisonNote,
            String metric)
            implements EvaluationEvent {

        /** The event of a VQA accuracy, as events were before other metrics existed. */
        public Completed(
                String trialId,
                String sweepId,
                Instant at,
                double overall,
                Map<String, Double> perAnswerType,
                Map<String, Double> perQuestionType,
                int questions,
                Double accuracyLower,
                Double accuracyUpper,
                ReferenceComparison comparison,
                String comparisonNote) {
            this(
                    trialId,
                    sweepId,
                    at,
                    overall,
                    perAnswerType,
                    perQuestionType,
                    questions,
                    accuracyLower,
                    accuracyUpper,
                    comparison,
                    comparisonNote,
                    null);
        }

        /** {@link #metric()}, {@code vqa_accuracy} when the event names none. */
        public String metricName() {
            return metric == null ? DatasetTask.VQA.metric() : metric;
        }

        /** Without statistics, as the event was before they were computed. */
        public Completed(
                String trialId,
                String sweepId,
                Instant at,
                double overall,
                Map<String, Double> perAnswerType,
                Map<String, Double> perQuestionType,
                int questions) {
            this(
                    trialId,
                    sweepId,
                    at,
                    overall,
                    perAnswerType,
                    perQuestionType,
                    questions,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
    }

    /** The predictions could not be evaluated (missing or unknown question ids, malformed JSON, ...). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failed(String trialId, String sweepId, Instant at, String reason) implements EvaluationEvent {}
}
