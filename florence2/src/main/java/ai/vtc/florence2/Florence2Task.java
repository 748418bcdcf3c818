package ai.vtc.florence2;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tasks a Florence-2 model is asked by a task token: the fifteen of Microsoft's processor ({@code
 * processing_florence2.py}), declared in the order of its two prompt tables (the order decides which token wins when a
 * text holds several), and the two question-answering tokens of the fine-tuning convention ({@code <VQA>}, this
 * project's own, and {@code <DocVQA>}), which the processor leaves in the prompt and answers as plain text. Anything
 * else is an unknown task: a typo there would otherwise silently give a plain-text answer.
 */
public enum Florence2Task {
    OCR("<OCR>", PromptForm.SENTENCE, "What is the text in the image?", AnswerType.PURE_TEXT),
    OCR_WITH_REGION(
            "<OCR_WITH_REGION>", PromptForm.SENTENCE, "What is the text in the image, with regions?", AnswerType.OCR),
    CAPTION("<CAPTION>", PromptForm.SENTENCE, "What does the image describe?", AnswerType.PURE_TEXT),
    DETAILED_CAPTION(
            "<DETAILED_CAPTION>",
            PromptForm.SENTENCE,
            "Describe in detail what is shown in the image.",
            AnswerType.PURE_TEXT),
    MORE_DETAILED_CAPTION(
            "<MORE_DETAILED_CAPTION>",
            PromptForm.SENTENCE,
            "Describe with a paragraph what is shown in the image.",
            AnswerType.PURE_TEXT),
    OD(
            "<OD>",
            PromptForm.SENTENCE,
            "Locate the objects with category name in the image.",
            AnswerType.DESCRIPTION_WITH_BBOXES),
    DENSE_REGION_CAPTION(
            "<DENSE_REGION_CAPTION>",
            PromptForm.SENTENCE,
            "Locate the objects in the image, with their descriptions.",
            AnswerType.DESCRIPTION_WITH_BBOXES),
    REGION_PROPOSAL(
            "<REGION_PROPOSAL>", PromptForm.SENTENCE, "Locate the region proposals in the image.", AnswerType.BBOXES),
    CAPTION_TO_PHRASE_GROUNDING(
            "<CAPTION_TO_PHRASE_GROUNDING>",
            PromptForm.TEMPLATE,
            "Locate the phrases in the caption: {input}",
            AnswerType.PHRASE_GROUNDING),
    REFERRING_EXPRESSION_SEGMENTATION(
            "<REFERRING_EXPRESSION_SEGMENTATION>",
            PromptForm.TEMPLATE,
            "Locate {input} in the image with mask",
            AnswerType.POLYGONS),
    REGION_TO_SEGMENTATION(
            "<REGION_TO_SEGMENTATION>",
            PromptForm.TEMPLATE,
            "What is the polygon mask of region {input}",
            AnswerType.POLYGONS),
    OPEN_VOCABULARY_DETECTION(
            "<OPEN_VOCABULARY_DETECTION>",
            PromptForm.TEMPLATE,
            "Locate {input} in the image.",
            AnswerType.DESCRIPTION_WITH_BBOXES_OR_POLYGONS),
    REGION_TO_CATEGORY(
            "<REGION_TO_CATEGORY>", PromptForm.TEMPLATE, "What is the region {input}?", AnswerType.PURE_TEXT),
    REGION_TO_DESCRIPTION(
            "<REGION_TO_DESCRIPTION>",
            PromptForm.TEMPLATE,
            "What does the region {input} describe?",
            AnswerType.PURE_TEXT),
    REGION_TO_OCR("<REGION_TO_OCR>", PromptForm.TEMPLATE, "What text is in the region {input}?", AnswerType.PURE_TEXT),
    VQA("<VQA>", PromptForm.TOKEN_AND_TEXT, null, AnswerType.PURE_TEXT),
    DOC_VQA("<DocVQA>", PromptForm.TOKEN_AND_TEXT, null, AnswerType.PURE_TEXT);

    /** How the processor turns the task token (and its text input) into the prompt the model reads. */
    public enum PromptForm {
        /** The token alone becomes a fixed sentence; the task takes no text input. */
        SENTENCE,
        /** The token and its text input become a sentence template with the input in place of {@code {input}}. */
        TEMPLATE,
        /** Not in the processor's tables: the prompt is the token followed by the text input, as it is. */
        TOKEN_AND_TEXT
    }

    /** The post-processing of the answer ({@code tasks_answer_post_processing_type}), by the processor's names. */
    public enum AnswerType {
        PURE_TEXT("pure_text"),
        OCR("ocr"),
        DESCRIPTION_WITH_BBOXES("description_with_bboxes"),
        PHRASE_GROUNDING("phrase_grounding"),
        POLYGONS("polygons"),
        DESCRIPTION_WITH_BBOXES_OR_POLYGONS("description_with_bboxes_or_polygons"),
        BBOXES("bboxes");

        private final String processorName;

        AnswerType(String processorName) {
            this.processorName = processorName;
        }

        public String processorName() {
            return processorName;
        }
    }

    private final String token;
    private final PromptForm promptForm;
    private final String prompt;
    private final AnswerType answerType;

    Florence2Task(String token, PromptForm promptForm, String prompt, AnswerType answerType) {
        this.token = token;
        this.promptForm = promptForm;
        this.prompt = prompt;
        this.answerType = answerType;
    }

    /** The task token, e.g. {@code <OD>}. */
    public String token() {
        return token;
    }

    public PromptForm promptForm() {
        return promptForm;
    }

    /** The processor's sentence ({@link PromptForm#SENTENCE}) or template ({@link PromptForm#TEMPLATE}); else null. */
    public String prompt() {
        return prompt;
    }

    public AnswerType answerType() {
        return answerType;
    }

    public boolean takesTextInput() {
        return promptForm != PromptForm.SENTENCE;
    }

    /** Whether the answer holds regions (boxes, quad boxes or polygons), not only text. */
    public boolean answersWithRegions() {
        return answerType != AnswerType.PURE_TEXT;
    }

    /**
     * The processor's text for this task and its text input ({@code task_prompt + text_input}, as the model card
     * writes it), checked: a task that takes a text input needs a non-blank one, a task that does not refuses one.
     * {@code textInput} may be null (none).
     */
    public String text(String textInput) {
        boolean given = textInput != null && !textInput.isEmpty();
        if (!takesTextInput() && given) {
            throw new IllegalArgumentException(token + " takes no text input (got \"" + textInput
                    + "\"); tasks with a text input: " + names(true));
        }
        if (takesTextInput() && (!given || textInput.isBlank())) {
            throw new IllegalArgumentException(token + " needs a text input (" + inputHint() + ")");
        }
        return given ? token + textInput : token;
    }

    private String inputHint() {
        return switch (this) {
            case CAPTION_TO_PHRASE_GROUNDING -> "the caption whose phrases to locate";
            case REFERRING_EXPRESSION_SEGMENTATION, OPEN_VOCABULARY_DETECTION -> "what to locate, e.g. \"a green car\"";
            case REGION_TO_SEGMENTATION, REGION_TO_CATEGORY, REGION_TO_DESCRIPTION, REGION_TO_OCR ->
                "a region as four location tokens, e.g. \"<loc_52><loc_333><loc_932><loc_774>\"";
            default -> "the question";
        };
    }

    /** The task of a token, e.g. {@code "<OD>"}; an unknown token is an error that lists the known ones. */
    public static Florence2Task of(String token) {
        for (Florence2Task task : values()) {
            if (task.token.equals(token)) {
                return task;
            }
        }
        String bare = token == null ? "" : token.strip().replaceAll("^<|>$", "").toUpperCase(Locale.ROOT);
        for (Florence2Task task : values()) {
            if (task.token.toUpperCase(Locale.ROOT).equals("<" + bare + ">")) {
                throw new IllegalArgumentException("unknown task " + token + ": did you mean " + task.token
                        + "? (task tokens are case-sensitive)");
            }
        }
        throw new IllegalArgumentException("unknown task " + token + "; the tasks: " + names(null));
    }

    /** The task tokens, all of them ({@code withInput} null) or those with or without a text input. */
    static String names(Boolean withInput) {
        return Arrays.stream(values())
                .filter(t -> withInput == null || t.takesTextInput() == withInput)
                .map(Florence2Task::token)
                .collect(Collectors.joining(", "));
    }

    /** The processor's tasks of one prompt form, in its table order. */
    public static List<Florence2Task> ofForm(PromptForm form) {
        return Arrays.stream(values()).filter(t -> t.promptForm == form).toList();
    }
}
