package ai.vtc.vqa;

/**
 * One annotator's answer.
 *
 * @param answer the raw answer text
 * @param answerConfidence {@code "yes"}, {@code "maybe"} or {@code "no"}; null when the file has none
 * @param answerId 1..10 in VQAv2; null when the file has none
 */
public record VqaAnswer(String answer, String answerConfidence, Integer answerId) {}
