package ai.vtc.vqa.docvqa;

import java.util.List;

/**
 * One entry of a DocVQA annotation file's {@code data} list.
 *
 * @param questionId unique over the dataset (DocVQA numbers its splits apart)
 * @param image the document image, a path relative to the folder of the annotation file ({@code documents/x.png})
 * @param docId the document's id; null when the file has none
 * @param answers the annotators' answers, at least one, in file order (duplicates kept: they do not change a maximum)
 * @param questionTypes DocVQA's question categories ({@code form}, {@code table/list}, ...); empty when the file has
 *     none
 * @param dataSplit the entry's {@code data_split}; null when the file has none
 */
public record DocVqaQuestion(
        long questionId,
        String question,
        String image,
        Long docId,
        List<String> answers,
        List<String> questionTypes,
        String dataSplit) {
    public DocVqaQuestion {
        answers = List.copyOf(answers);
        questionTypes = List.copyOf(questionTypes);
    }
}
