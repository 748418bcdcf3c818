package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * What one synthetic image shows: a background and 1..n shapes, each in its own cell of a 3 x 3 grid (so "top left"
 * is unambiguous and shapes never overlap). Coordinates are fractions of the image side.
 *
 * <p>With {@link QuestionFamily#REGION} asked, a share of the backgrounds ({@code regionSplits}, half by default) are
 * split in two halves of different colours:
 * {@code background} paints the left (or top) half and {@code second} the right (or bottom) one. Which colour is on
 * which side is visible only in the image's local features, not in its average, so these questions measure what
 * pooling the visual tokens loses.
 *
 * @param second the colour of the right or bottom half; null when {@code split} is {@link Split#NONE}
 */
record Scene(Colour background, Background style, Split split, Colour second, List<Item> items) {
    /** How the background is divided. */
    enum Split {
        NONE,
        /** left half {@code background}, right half {@code second} */
        LEFT_RIGHT,
        /** top half {@code background}, bottom half {@code second} */
        TOP_BOTTOM;

        /** The names of the two halves, first the one painted with {@code background}. */
        List<String> sides() {
            return switch (this) {
                case NONE -> List.of();
                case LEFT_RIGHT -> List.of("left", "right");
                case TOP_BOTTOM -> List.of("top", "bottom");
            };
        }
    }

    /** How the background is painted; its colour stays recognisable in every style. */
    enum Background {
        SOLID,
        GRADIENT,
        NOISE,
        STRIPES
    }

    /**
     * One shape.
     *
     * @param row 0 = top
     * @param col 0 = left
     * @param cx centre, fraction of the width
     * @param cy centre, fraction of the height
     * @param size diameter of the enclosing circle, fraction of the side
     * @param rotation radians
     */
    record Item(ShapeKind shape, Colour colour, int row, int col, double cx, double cy, double size, double rotation) {}

    static final String[] CELL_PHRASES = {
        "in the top left", "at the top", "in the top right",
        "on the left", "in the center", "on the right",
        "in the bottom left", "at the bottom", "in the bottom right"
    };

    static Scene random(SplitMix64 rng, SyntheticVqa.Options o) {
        Colour background = Colour.BACKGROUNDS.get(rng.nextInt(Colour.BACKGROUNDS.size()));
        Background style = Background.values()[rng.nextInt(Background.values().length)];
        Split split = Split.NONE;
        Colour second = null;
        if (o.families().contains(QuestionFamily.REGION) && rng.chance(o.regionSplits())) {
            split = rng.chance(0.5) ? Split.LEFT_RIGHT : Split.TOP_BOTTOM;
            List<Colour> others = new ArrayList<>(Colour.BACKGROUNDS);
            others.remove(background);
            second = others.get(rng.nextInt(others.size()));
        }
        int n = rng.nextInt(1, o.maxObjects());
        int[] cells = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        for (int i = cells.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = cells[i];
            cells[i] = cells[j];
            cells[j] = t;
        }
        List<Item> items = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            ShapeKind shape = ShapeKind.values()[rng.nextInt(o.shapes())];
            Colour colour = Colour.SHAPE_COLOURS.get(rng.nextInt(o.colours()));
            int row = cells[k] / 3;
            int col = cells[k] % 3;
            double size = (0.62 + 0.22 * rng.nextDouble()) / 3;
            double slack = (1.0 / 3 - size) / 2;
            double cx = (col + 0.5) / 3 + (rng.nextDouble() * 2 - 1) * slack;
            double cy = (row + 0.5) / 3 + (rng.nextDouble() * 2 - 1) * slack;
            double rotation = shape == ShapeKind.CIRCLE ? 0 : (rng.nextDouble() * 2 - 1) * Math.toRadians(15);
            items.add(new Item(shape, colour, row, col, cx, cy, size, rotation));
        }
        items.sort((a, b) -> Integer.compare(a.row() * 3 + a.col(), b.row() * 3 + b.col()));
        return new Scene(background, style, split, second, List.copyOf(items));
    }

    /** The colour of the background half named by {@code side} (one of {@link Split#sides()}). */
    Colour side(String side) {
        int i = split.sides().indexOf(side);
        if (i < 0) {
            throw new IllegalArgumentException("no " + side + " half in a " + split + " background");
        }
        return i == 0 ? background : second;
    }

    int count(ShapeKind shape, Colour colour) {
        int c = 0;
        for (Item it : items) {
            if ((shape == null || it.shape() == shape) && (colour == null || it.colour() == colour)) {
                c++;
            }
        }
        return c;
    }

    /** The only item of that shape (or colour), or null. */
    Item only(ShapeKind shape, Colour colour) {
        return count(shape, colour) == 1
                ? items.stream()
                        .filter(it ->
                                (shape == null || it.shape() == shape) && (colour == null || it.colour() == colour))
                        .findFirst()
                        .orElseThrow()
                : null;
    }
}
