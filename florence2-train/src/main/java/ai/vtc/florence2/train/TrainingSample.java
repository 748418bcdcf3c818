package ai.vtc.florence2.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the model answered for one fixed training example at one step ({@code sample_every_n_steps}).
 *
 * @param step optimizer steps done when it answered
 * @param questionId the example's question id
 * @param question the question
 * @param target the training answer
 * @param answer what the model generated (greedy)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingSample(long step, long questionId, String question, String target, String answer) {}
