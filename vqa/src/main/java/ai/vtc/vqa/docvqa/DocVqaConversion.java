package ai.vtc.vqa.docvqa;

import ai.vtc.vqa.VqaAnnotation;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaAnswer;
import ai.vtc.vqa.VqaHeader;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DocVQA data in the project's VQAv2 layout, so that everything that reads VQAv2 files (subsets, workers, the
 * evaluator) reads it unchanged, while the dataset's task ({@code docvqa}) chooses ANLS as its metric:
 *
 * <ul>
 *   <li>each distinct {@code image} of the file is an image id, 1, 2, 3, ... in the order the entries first name it;
 *   <li>a question keeps its {@code questionId} and text;
 *   <li>its annotation has the DocVQA answers as the annotators' answers, in order ({@code answer_id} 1..n, no
 *       confidence), the first answer as {@code multiple_choice_answer} (the training target, as the Florence-2
 *       DocVQA fine-tuning takes {@code answers[0]}), {@code answer_type} {@value #ANSWER_TYPE} and as
 *       {@code question_type} DocVQA's {@code question_types} joined by commas, or {@value #NO_QUESTION_TYPE}.
 * </ul>
 *
 * Nothing of the answers is normalised: ANLS needs them exactly as written.
 */
public final class DocVqaConversion {
    /** The answer type of every converted question (DocVQA answers are free text). */
    public static final String ANSWER_TYPE = "other";
    /** The question type of an entry without DocVQA {@code question_types}. */
    public static final String NO_QUESTION_TYPE = "none";
    /** The {@code data_type} of the converted files' headers. */
    public static final String DATA_TYPE = "docvqa";

    private DocVqaConversion() {}

    /**
     * One document image.
     *
     * @param imageId its id in the converted files
     * @param path the {@code image} of the entries that name it
     * @param questionId the first question that names it, for messages
     */
    public record Image(long imageId, String path, long questionId) {}

    /** The converted files and the images they name, by image id. */
    public record Converted(VqaQuestions questions, VqaAnnotations annotations, List<Image> images) {}

    /**
     * Converts {@code file}; {@code subtype} is the {@code data_subtype} of the headers (the split's name) and
     * {@code description} goes into their {@code info}.
     */
    public static Converted toVqa(DocVqaFile file, String subtype, String description) {
        ObjectNode info = VqaJson.MAPPER.createObjectNode();
        info.put("description", description);
        if (file.datasetName() != null) {
            info.put("dataset_name", file.datasetName());
        }
        if (file.datasetVersion() != null) {
            info.put("dataset_version", file.datasetVersion());
        }
        VqaHeader header = new VqaHeader(info, VqaHeader.OPEN_ENDED, DATA_TYPE, subtype, null);
        VqaQuestions.Builder questions = VqaQuestions.builder(header);
        VqaAnnotations.Builder annotations = VqaAnnotations.builder(header.withTaskTypeRemoved());
        Map<String, Image> images = new LinkedHashMap<>();
        for (DocVqaQuestion q : file.data()) {
            Image image = images.computeIfAbsent(q.image(), path -> new Image(images.size() + 1, path, q.questionId()));
            questions.add(q.questionId(), image.imageId(), q.question());
            List<VqaAnswer> answers = new ArrayList<>(q.answers().size());
            for (int k = 0; k < q.answers().size(); k++) {
                answers.add(new VqaAnswer(q.answers().get(k), null, k + 1));
            }
            annotations.add(new VqaAnnotation(
                    q.questionId(),
                    image.imageId(),
                    q.questionTypes().isEmpty() ? NO_QUESTION_TYPE : String.join(",", q.questionTypes()),
                    ANSWER_TYPE,
                    q.answers().get(0),
                    answers));
        }
        return new Converted(questions.build(), annotations.build(), List.copyOf(images.values()));
    }
}
