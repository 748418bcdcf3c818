package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Inference settings for the evaluation split.
 *
 * @param numBeams beam width; 1 is greedy
 * @param maxNewTokens answer length limit
 * @param noRepeatNgramSize 0 disables the rule
 * @param prompt template with {@code {question}}
 * @param batchSize examples per generate call
 * @param precision {@code bf16} or {@code fp16}: the type the answers' matrix products run in; null is {@code fp32},
 *     the default, resolved to null so that trials without the setting keep their ids
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalSettings(
        Integer numBeams,
        Integer maxNewTokens,
        Integer noRepeatNgramSize,
        String prompt,
        Integer batchSize,
        String precision) {

    /** Settings in float32 (no {@code precision}), as before the setting existed. */
    public EvalSettings(
            Integer numBeams, Integer maxNewTokens, Integer noRepeatNgramSize, String prompt, Integer batchSize) {
        this(numBeams, maxNewTokens, noRepeatNgramSize, prompt, batchSize, null);
    }
}
