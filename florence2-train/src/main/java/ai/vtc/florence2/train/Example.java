package ai.vtc.florence2.train;

import java.nio.file.Path;

/**
 * One question about one image.
 *
 * @param questionId the VQAv2 question id (the key of the answers)
 * @param image a PNG or JPEG file
 * @param question the question text; the prompt is made from it with the prompt template
 * @param answer the training target (VQAv2: the multiple-choice answer), null for inference
 */
public record Example(long questionId, Path image, String question, String answer) {

    public Example {
        if (image == null || question == null) {
            throw new IllegalArgumentException(
                    "an example needs an image and a question (question " + questionId + ")");
        }
    }
}
