package ai.vtc.vqa;

/** One prediction of a VQAv2 results file. */
public record VqaResult(long questionId, String answer) {}
