package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trial's predictions are in object storage, on {@link Topics#PREDICTIONS} keyed by trial id.
 *
 * @param predictionsUri {@code s3://<bucket>/predictions/<trial>/predictions.json} (VQAv2 results format)
 * @param dataset the dataset, subset and manifest hash the predictions answer
 * @param split the split the predictions are for
 * @param compression the trial's compression, so results can be labelled without asking the scheduler
 * @param visualTokens visual tokens the language model keeps (1 global + the pooled grid)
 * @param seed the trial's seed (the uncompressed baseline of a trial is the sweep's {@code none} trial of this seed)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PredictionsReady(
        String sweepId,
        String trialId,
        String predictionsUri,
        DatasetRef dataset,
        String split,
        Compression compression,
        int visualTokens,
        long seed) {}
