package ai.vtc.florence2.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Caption shuffling and caption dropout as the Florence-2 LoRA trainer defines them:
 *
 * <ul>
 *   <li><b>shuffle</b>: the caption is split on commas, each part trimmed, the parts shuffled and joined with
 *       {@code ", "} ({@code "red car, street, night"} may become {@code "night, red car, street"}); a caption without
 *       a comma is unchanged;
 *   <li><b>dropout</b>: with probability {@code p} the caption is replaced by the empty string (the model learns to
 *       answer the prompt from the image alone); dropout is drawn before shuffling.
 * </ul>
 *
 * What this implements differs from the trainer in one respect: the draws are made once per example and seed
 * (SplittableRandom seeded with the seed and the example id), when the examples are built, not again in every epoch,
 * because the trainer of this project takes fixed examples; a run is therefore reproducible from its seed.
 *
 * @param shuffle whether to shuffle the comma-separated parts
 * @param dropout probability in [0, 1] of an empty caption
 * @param seed the run's seed
 */
public record CaptionAugment(boolean shuffle, double dropout, long seed) {
    public CaptionAugment {
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("caption dropout must be in [0, 1], got " + dropout);
        }
    }

    /** No shuffling, no dropout. */
    public static final CaptionAugment NONE = new CaptionAugment(false, 0, 0);

    /** {@code examples} with their captions shuffled and dropped as configured. */
    public List<Example> apply(List<Example> examples) {
        if (!shuffle && dropout == 0) {
            return examples;
        }
        List<Example> out = new ArrayList<>(examples.size());
        for (Example e : examples) {
            out.add(new Example(e.questionId(), e.image(), e.question(), caption(e.answer(), e.questionId())));
        }
        return out;
    }

    /** The caption of example {@code key} after dropout and shuffling. */
    String caption(String caption, long key) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key);
        if (dropout > 0 && random.nextDouble() < dropout) {
            return "";
        }
        if (!shuffle || caption.indexOf(',') < 0) {
            return caption;
        }
        String[] parts = Arrays.stream(caption.split(",")).map(String::strip).toArray(String[]::new);
        for (int i = parts.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = parts[i];
            parts[i] = parts[j];
            parts[j] = t;
        }
        return String.join(", ", parts);
    }
}
