package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trial's predictions are in object storage, on {@link Topics#PREDICTIONS} keyed by trial id. It says enough about
 * the trial for the evaluator to label its result and to find its reference among its sweep-mates (the trial of the
 * same sweep, training, train settings and seed without compression) without asking the scheduler.
 *
 * @param predictionsUri {@code s3://<bucket>/predictions/<trial>/predictions.json} (VQAv2 results format)
 * @param dataset the dataset, subsets and manifest hashes; the predictions answer the {@code split} questions of
 *     {@link DatasetRef#evaluationSubset()}
 * @param split the split the predictions are for
 * @param compression the trial's compression, so results can be labelled without asking the scheduler
 * @param visualTokens visual tokens the language model keeps (1 global + the grid tokens left)
 * @param seed the trial's seed
 * @param training whether the trial fine-tuned; absent in messages from before training-free trials existed, when
 *     every trial fine-tuned, and read as {@link Training#FINE_TUNE} then
 * @param trainSettingsSha256 {@link #trainSettingsSha256(TrainSettings)} of the trial's train settings; null for a
 *     training-free trial and in older messages
 * @param cost what the setting costs (tokens, analytic GFLOPs, measured latencies); null when not reported
 * @param evalFraction the share of the evaluation set answered, as requested ({@link TrialRequested#evalFraction}):
 *     the predictions hold its prefix only; null: the whole set
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PredictionsReady(
        String sweepId,
        String trialId,
        String predictionsUri,
        DatasetRef dataset,
        String split,
        Compression compression,
        int visualTokens,
        long seed,
        Training training,
        String trainSettingsSha256,
        TrialCost cost,
        Double evalFraction) {

    /** The predictions of the whole evaluation set. */
    public PredictionsReady(
            String sweepId,
            String trialId,
            String predictionsUri,
            DatasetRef dataset,
            String split,
            Compression compression,
            int visualTokens,
            long seed,
            Training training,
            String trainSettingsSha256,
            TrialCost cost) {
        this(
                sweepId,
                trialId,
                predictionsUri,
                dataset,
                split,
                compression,
                visualTokens,
                seed,
                training,
                trainSettingsSha256,
                cost,
                null);
    }

    public PredictionsReady {
        if (training == null) {
            training = Training.FINE_TUNE;
        }
    }

    /** A fine-tuned trial's message without train settings or cost, as messages were before they were added. */
    public PredictionsReady(
            String sweepId,
            String trialId,
            String predictionsUri,
            DatasetRef dataset,
            String split,
            Compression compression,
            int visualTokens,
            long seed) {
        this(sweepId, trialId, predictionsUri, dataset, split, compression, visualTokens, seed, null, null, null);
    }

    /**
     * The message of a trial whose predictions are at {@code predictionsUri}: sweep, dataset, split, compression,
     * seed, training and train settings come from the request, so every producer fills them the same way.
     */
    public static PredictionsReady of(TrialRequested trial, String predictionsUri, int visualTokens, TrialCost cost) {
        TrialSpec spec = trial.spec();
        return new PredictionsReady(
                trial.sweepId(),
                trial.trialId(),
                predictionsUri,
                spec.dataset(),
                spec.dataset().evalSplit(),
                spec.compression(),
                visualTokens,
                spec.seed(),
                Training.of(spec),
                trainSettingsSha256(spec.train()),
                cost,
                trial.isRung() ? trial.evalFraction() : null);
    }

    /** Whether these predictions answer a prefix of the evaluation set only (a rung of a race). */
    @JsonIgnore
    public boolean isRung() {
        return evalFraction != null && evalFraction < 1.0;
    }

    /** This message announced for another sweep that contains the same trial. */
    public PredictionsReady forSweep(String otherSweepId) {
        return new PredictionsReady(
                otherSweepId,
                trialId,
                predictionsUri,
                dataset,
                split,
                compression,
                visualTokens,
                seed,
                training,
                trainSettingsSha256,
                cost,
                evalFraction);
    }

    /**
     * The identity of train settings: the SHA-256 of their canonical JSON ({@link CanonicalJson}), so that two trials
     * trained alike have the same one; null for none (a training-free trial).
     */
    public static String trainSettingsSha256(TrainSettings train) {
        return train == null ? null : TrialIds.sha256Hex(CanonicalJson.of(train));
    }
}
