package ai.vtc.florence2;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task-token expansion of Florence-2's processor ({@code Florence2Processor._construct_prompts}): the pretrained
 * model was trained on these sentences, not on the task tokens. A prompt that is exactly a task token without input
 * becomes its sentence; a task token with input becomes its template with the rest of the prompt as input; any other
 * prompt (e.g. {@code "<VQA>what color is it?"}, a fine-tuning convention) is used as it is.
 */
public final class Florence2Prompts {

    private static final Map<String, String> WITHOUT_INPUT = new LinkedHashMap<>();
    private static final Map<String, String> WITH_INPUT = new LinkedHashMap<>();

    static {
        WITHOUT_INPUT.put("<OCR>", "What is the text in the image?");
        WITHOUT_INPUT.put("<OCR_WITH_REGION>", "What is the text in the image, with regions?");
        WITHOUT_INPUT.put("<CAPTION>", "What does the image describe?");
        WITHOUT_INPUT.put("<DETAILED_CAPTION>", "Describe in detail what is shown in the image.");
        WITHOUT_INPUT.put("<MORE_DETAILED_CAPTION>", "Describe with a paragraph what is shown in the image.");
        WITHOUT_INPUT.put("<OD>", "Locate the objects with category name in the image.");
        WITHOUT_INPUT.put("<DENSE_REGION_CAPTION>", "Locate the objects in the image, with their descriptions.");
        WITHOUT_INPUT.put("<REGION_PROPOSAL>", "Locate the region proposals in the image.");
        WITH_INPUT.put("<CAPTION_TO_PHRASE_GROUNDING>", "Locate the phrases in the caption: {input}");
        WITH_INPUT.put("<REFERRING_EXPRESSION_SEGMENTATION>", "Locate {input} in the image with mask");
        WITH_INPUT.put("<REGION_TO_SEGMENTATION>", "What is the polygon mask of region {input}");
        WITH_INPUT.put("<OPEN_VOCABULARY_DETECTION>", "Locate {input} in the image.");
        WITH_INPUT.put("<REGION_TO_CATEGORY>", "What is the region {input}?");
        WITH_INPUT.put("<REGION_TO_DESCRIPTION>", "What does the region {input} describe?");
        WITH_INPUT.put("<REGION_TO_OCR>", "What text is in the region {input}?");
    }

    private Florence2Prompts() {}

    public static String construct(String text) {
        for (Map.Entry<String, String> e : WITHOUT_INPUT.entrySet()) {
            if (text.contains(e.getKey())) {
                if (!text.equals(e.getKey())) {
                    throw new IllegalArgumentException("task token " + e.getKey() + " takes no further text: " + text);
                }
                return e.getValue();
            }
        }
        for (Map.Entry<String, String> e : WITH_INPUT.entrySet()) {
            if (text.contains(e.getKey())) {
                return e.getValue().replace("{input}", text.replace(e.getKey(), ""));
            }
        }
        return text;
    }
}
