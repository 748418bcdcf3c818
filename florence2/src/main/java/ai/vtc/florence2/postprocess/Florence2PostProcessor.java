package ai.vtc.florence2.postprocess;

import ai.vtc.florence2.Florence2Task;
import ai.vtc.florence2.Florence2Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Florence-2's {@code post_process_generation} for every task: the generated text (special tokens kept, as {@link
 * Florence2Tokenizer#decodeRaw} gives it) becomes the task's {@link TaskAnswer} with coordinates in the pixels of the
 * original image. Reproduces Microsoft's {@code processing_florence2.py} on every case of its golden fixtures,
 * including its quirks (see the parsers); a location token outside {@code <loc_0>..<loc_999>} is an error.
 *
 * <p>{@link #processSequence} is the processor's other entry, from token ids and their transition scores, which also
 * scores the boxes of {@code <OD>} and {@code <DENSE_REGION_CAPTION>}.
 */
public final class Florence2PostProcessor {

    private Florence2PostProcessor() {}

    /** {@code post_process_generation(text, task=task, image_size=(W, H))}; {@code task} is a task token. */
    public static TaskResult process(String task, String text, ImageSize size) {
        return process(Florence2Task.of(task), text, size);
    }

    public static TaskResult process(Florence2Task task, String text, ImageSize size) {
        return new TaskResult(task.token(), answer(task, text, size, null));
    }

    /**
     * {@code post_process_generation(sequence=..., transition_beam_score=..., task=..., image_size=...)}: {@code
     * tokens} are the generated tokens as vocabulary strings, starting with the decoder start token (which is
     * dropped), {@code specialTokens} the tokenizer's special tokens, {@code transitionScores} one log-probability per
     * token after the decoder start (float32 values, widened) or null.
     */
    public static TaskResult processSequence(
            Florence2Task task,
            List<String> tokens,
            Set<String> specialTokens,
            double[] transitionScores,
            ImageSize size) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("an empty sequence: it starts with the decoder start token");
        }
        ScoredText scored = ScoredText.decode(tokens.subList(1, tokens.size()), specialTokens, transitionScores);
        return new TaskResult(task.token(), answer(task, scored.text(), size, scored));
    }

    /** {@link #processSequence} of generated ids ({@link ai.vtc.florence2.Florence2Pipeline#generateTokenIds}). */
    public static TaskResult processSequence(
            Florence2Task task, Florence2Tokenizer tokenizer, long[] ids, double[] transitionScores, ImageSize size) {
        return processSequence(task, tokenizer.idsToTokens(ids), tokenizer.specialTokens(), transitionScores, size);
    }

    private static TaskAnswer answer(Florence2Task task, String text, ImageSize size, ScoredText scored) {
        return switch (task.answerType()) {
            case PURE_TEXT -> new TaskAnswer.PlainText(text.replace("<s>", "").replace("</s>", ""));
            case OCR -> OcrParser.parse(text, size);
            case DESCRIPTION_WITH_BBOXES ->
                BoxParser.answer(BoxParser.descriptions().parse(text, size, scored));
            case BBOXES -> BoxParser.answer(BoxParser.unlabelled().parse(text, size, null));
            case PHRASE_GROUNDING ->
                BoxParser.answer(BoxParser.groundedPhrases().parse(text, size, null));
            case POLYGONS -> PolygonParser.answer(PolygonParser.parse(text, size, true));
            case DESCRIPTION_WITH_BBOXES_OR_POLYGONS -> boxesOrPolygons(text, size);
        };
    }

    /** Polygons when the text holds {@code <poly>} anywhere, else boxes; the processor never gives both. */
    private static TaskAnswer.BoxesOrPolygons boxesOrPolygons(String text, ImageSize size) {
        if (text.contains("<poly>")) {
            List<PolygonParser.Instance> instances = PolygonParser.parse(text, size, false);
            return new TaskAnswer.BoxesOrPolygons(
                    List.of(),
                    List.of(),
                    instances.stream().map(PolygonParser.Instance::polygons).toList(),
                    instances.stream().map(PolygonParser.Instance::label).toList());
        }
        List<BoxParser.Instance> instances = BoxParser.descriptions().parse(text, size, null);
        return new TaskAnswer.BoxesOrPolygons(
                instances.stream().map(BoxParser.Instance::box).toList(),
                instances.stream().map(BoxParser.Instance::label).toList(),
                new ArrayList<>(),
                new ArrayList<>());
    }
}
