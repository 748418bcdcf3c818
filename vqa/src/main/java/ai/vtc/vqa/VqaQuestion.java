package ai.vtc.vqa;

/** One entry of a VQAv2 questions file. */
public record VqaQuestion(long imageId, String question, long questionId) {}
