package ai.vtc.florence2.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Prompts;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.Florence2Tokenizer;
import ai.vtc.florence2.nn.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns examples into model inputs: pixels from the {@link PixelCache}, the prompt made from the template ({@code
 * {question}} replaced, then Florence-2's task-token expansion) tokenized and right-padded, and for training the
 * answer as labels {@code <s> answer </s>} padded with the pad token, with decoder inputs shifted right behind the
 * decoder start token (as Hugging Face's {@code shift_tokens_right}). Letters: B batch, T prompt tokens, U answer
 * tokens.
 */
final class BatchEncoder {

    /** The default prompt template, the common Florence-2 VQA fine-tuning convention. */
    static final String QUESTION = "{question}";

    private final Florence2Tokenizer tokenizer;
    private final Florence2ImageProcessor processor;
    private final PixelCache pixels;
    private final String promptTemplate;
    private final long pad;
    private final long decoderStart;

    /**
     * @param processor the image processor the model runs with (the model folder's, or at a downsample size)
     * @param pixels the cache of preprocessed images; null: the inputs carry no pixels (the vision features come from
     *     {@link VisionFeatures})
     */
    BatchEncoder(
            Florence2Tokenizer tokenizer,
            Florence2ImageProcessor processor,
            PixelCache pixels,
            String promptTemplate,
            Florence2TextConfig text) {
        if (!promptTemplate.contains(QUESTION)) {
            throw new IllegalArgumentException(
                    "prompt template must contain " + QUESTION + ", got \"" + promptTemplate + "\"");
        }
        this.tokenizer = tokenizer;
        this.processor = processor;
        this.pixels = pixels;
        this.promptTemplate = promptTemplate;
        this.pad = text.padTokenId();
        this.decoderStart = text.decoderStartTokenId();
    }

    long pad() {
        return pad;
    }

    /**
     * The encoder side of a batch.
     *
     * @param questionIds one key per sample, the question ids (the random selection draws from them)
     */
    record Inputs(NDArray pixelValues, NDArray inputIds, NDArray attentionMask, long[] questionIds) {}

    /** A training batch: inputs plus decoder inputs [B, U] and labels [B, U] (pad where there is no token). */
    record Training(Inputs inputs, NDArray decoderInputIds, NDArray labels) {}

    String prompt(String question) {
        return Florence2Prompts.construct(promptTemplate.replace(QUESTION, question));
    }

    Inputs inputs(NDManager manager, List<Example> batch) {
        NDArray pixelValues = pixels == null ? null : pixelValues(manager, batch); // [B, 3, H, W]
        List<String> prompts = new ArrayList<>(batch.size());
        for (Example e : batch) {
            prompts.add(prompt(e.question()));
        }
        Florence2Tokenizer.Batch tokens = tokenizer.encode(prompts);
        long[] questionIds = batch.stream().mapToLong(Example::questionId).toArray();
        return new Inputs(
                pixelValues, tokens.ids(manager), tokens.attentionMask(manager), questionIds); // [B, T], [B, T]
    }

    private NDArray pixelValues(NDManager manager, List<Example> batch) {
        List<float[]> values =
                pixels.pixels(processor, batch.stream().map(Example::image).toList());
        int h = processor.height();
        int w = processor.width();
        int size = 3 * h * w;
        float[] all = new float[batch.size() * size];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(values.get(i), 0, all, i * size, size);
        }
        return Tensors.floats(manager, all, new Shape(batch.size(), 3, h, w));
    }

    Training training(NDManager manager, List<Example> batch) {
        List<String> answers = new ArrayList<>(batch.size());
        for (Example e : batch) {
            if (e.answer() == null) {
                throw new IllegalArgumentException("training example " + e.questionId() + " has no answer");
            }
            answers.add(e.answer());
        }
        long[][] labels = tokenizer.encode(answers).ids(); // <s> answer </s>, right-padded with pad
        long[][] decoderInputs = new long[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            long[] row = new long[labels[i].length];
            row[0] = decoderStart;
            System.arraycopy(labels[i], 0, row, 1, row.length - 1);
            decoderInputs[i] = row;
        }
        return new Training(
                inputs(manager, batch), Tensors.longs(manager, decoderInputs), Tensors.longs(manager, labels));
    }
}
