package ai.vtc.vqa;

import java.util.List;

/** One entry of a VQAv2 annotations file. {@code multipleChoiceAnswer} may be null. */
public record VqaAnnotation(
        long questionId,
        long imageId,
        String questionType,
        String answerType,
        String multipleChoiceAnswer,
        List<VqaAnswer> answers) {
    public VqaAnnotation {
        answers = List.copyOf(answers);
    }
}
