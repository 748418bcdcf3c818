package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a trial's compression setting costs, next to its accuracy: the analytic GFLOPs of one sample (counted from the
 * model config and the token counts, docs/architecture.md "Cost") and the latencies measured while the worker answered
 * the evaluation questions.
 *
 * @param visualTokens visual tokens the language model sees (1 global + the grid tokens left)
 * @param textTokens mean prompt tokens per question
 * @param gflops analytic GFLOPs of one sample
 * @param latency measured latencies, or null when nothing was measured
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialCost(int visualTokens, double textTokens, Gflops gflops, Latency latency) {

    /**
     * Analytic GFLOPs of one sample.
     *
     * @param vision vision tower and image projection
     * @param encoder language encoder, with the compression at its stage
     * @param crossAttention the decoder's cross-attention keys and values of the encoder output, once per sample
     * @param decoderPerToken one generated token
     * @param prefill vision + encoder + cross-attention keys and values: everything before the first generated token
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gflops(
            double vision, double encoder, double crossAttention, double decoderPerToken, double prefill) {}

    /**
     * Medians over the evaluation batches, on the worker's device.
     *
     * @param prefillMs one batch's vision tower and language encoder (with the compression)
     * @param decodeStepMs one cached decoder step of one batch
     * @param batchSize questions per batch (the last, smaller batch is not counted)
     * @param batches batches measured
     * @param device the device, e.g. {@code cpu()} or {@code gpu(0)}
     * @param precision {@code fp32}, {@code bf16} or {@code fp16}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Latency(
            double prefillMs, double decodeStepMs, int batchSize, int batches, String device, String precision) {}
}
