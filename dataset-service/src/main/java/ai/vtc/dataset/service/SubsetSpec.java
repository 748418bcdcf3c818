package ai.vtc.dataset.service;

import ai.vtc.vqa.subset.Selection;
import ai.vtc.vqa.subset.SubsetSize;

/**
 * A subset to make: {@code size} of each split's questions (or images), chosen by the seeded order of the vqa
 * library, so that for one seed and selection a smaller subset is always contained in a larger one.
 */
public record SubsetSpec(String name, SubsetSize size, long seed, Selection selection) {

    /**
     * Checks the parts of a request. Exactly one of {@code fraction}, {@code count}, {@code size} ({@code "5%"},
     * {@code "0.05"}, {@code "500"}); the default name is {@code 5pct} (or {@code n500}), with {@code -seed<n>} for
     * a seed other than 0 and {@code -images} for a selection by image.
     */
    public static SubsetSpec of(String name, Double fraction, Long count, String size, Long seed, String selection) {
        int given = (fraction != null ? 1 : 0) + (count != null ? 1 : 0) + (size != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidRequest("give exactly one of fraction (0.05), count (500) or size (\"5%\")");
        }
        SubsetSize parsed;
        try {
            parsed = fraction != null
                    ? SubsetSize.fraction(fraction)
                    : count != null ? SubsetSize.count(count) : SubsetSize.parse(size);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(e.getMessage());
        }
        Selection by = selection(selection);
        long s = seed == null ? 0 : seed;
        String n = name != null
                ? name
                : parsed.defaultName() + (s != 0 ? "-seed" + s : "") + (by == Selection.IMAGE ? "-images" : "");
        return new SubsetSpec(Names.check("subset", n), parsed, s, by);
    }

    /** {@code question} (default) or {@code image}. */
    public static Selection selection(String text) {
        if (text == null || text.equalsIgnoreCase("question")) {
            return Selection.QUESTION;
        }
        if (text.equalsIgnoreCase("image")) {
            return Selection.IMAGE;
        }
        throw new InvalidRequest("selection is 'question' or 'image', not '" + text + "'");
    }

    public String selectionLabel() {
        return selection == Selection.IMAGE ? "image" : "question";
    }
}
