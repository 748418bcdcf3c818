package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One phase of a staged training schedule (LLaVolta's multi-stage training): until {@code untilStep}
 * (exclusive) pool at {@code stage} with {@code factor}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StagedCompression(int untilStep, int stage, int factor) {}
