package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Training settings of a trial (the {@code train:} block of a sweep, with defaults resolved).
 *
 * @param trainable {@code pooling}, {@code language} or {@code all}
 * @param epochs passes over the training subset (ignored when {@code maxSteps} is set)
 * @param maxSteps optimizer steps; when null, derived from epochs
 * @param batchSize examples per optimizer step (before accumulation)
 * @param gradientAccumulation micro-batches per optimizer step
 * @param learningRate peak learning rate
 * @param optimizer {@code adamw} or {@code soap}
 * @param weightDecay AdamW weight decay (not applied to biases and LayerNorms)
 * @param lrSchedule {@code linear}, {@code cosine} or {@code constant}
 * @param warmupSteps linear warm-up steps
 * @param maxGradNorm gradient clipping by global norm; null or 0 disables it
 * @param checkpointEverySteps checkpoint interval
 * @param compressionSchedule optional staged schedule replacing the trial compression during training
 * @param lora LoRA adapters instead of full fine-tuning ({@code trainable} then does not apply); null: none
 * @param sampleEveryNSteps every this many steps the worker answers a fixed handful of training questions and stores
 *     the answers with the trial; null: never
 * @param precision {@code bf16} or {@code fp16}: the type matrix products, convolutions and attention train in
 *     (autocast; weights, optimizer state, norms and the loss stay float32); null is {@code fp32}, the default, which
 *     is resolved to null so that trials without the setting keep their ids
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainSettings(
        String trainable,
        Integer epochs,
        Integer maxSteps,
        Integer batchSize,
        Integer gradientAccumulation,
        Double learningRate,
        String optimizer,
        Double weightDecay,
        String lrSchedule,
        Integer warmupSteps,
        Double maxGradNorm,
        Integer checkpointEverySteps,
        List<StagedCompression> compressionSchedule,
        LoraSettings lora,
        // the naming strategy would write "sample_every_nsteps"; the JSON (results page, REST, messages) uses the name
        // of the sweep YAML
        @JsonProperty("sample_every_n_steps") Integer sampleEveryNSteps,
        String precision) {

    /** The settings without LoRA, sampling and precision, as every sweep had them before those existed. */
    public TrainSettings(
            String trainable,
            Integer epochs,
            Integer maxSteps,
            Integer batchSize,
            Integer gradientAccumulation,
            Double learningRate,
            String optimizer,
            Double weightDecay,
            String lrSchedule,
            Integer warmupSteps,
            Double maxGradNorm,
            Integer checkpointEverySteps,
            List<StagedCompression> compressionSchedule) {
        this(
                trainable,
                epochs,
                maxSteps,
                batchSize,
                gradientAccumulation,
                learningRate,
                optimizer,
                weightDecay,
                lrSchedule,
                warmupSteps,
                maxGradNorm,
                checkpointEverySteps,
                compressionSchedule,
                null,
                null,
                null);
    }
}
