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
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalSettings(
        Integer numBeams, Integer maxNewTokens, Integer noRepeatNgramSize, String prompt, Integer batchSize) {}
