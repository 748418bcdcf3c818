package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * Question templates per {@link QuestionFamily}. Their {@code question_type} is derived from the text by
 * {@link ai.vtc.vqa.QuestionTypes#of}, as in VQAv2 ({@code "is there a"}, {@code "how many"},
 * {@code "what color is the"}, {@code "what"}, ...). Yes/no questions are balanced: half of them are asked about
 * something present.
 */
final class Questions {
    private final SyntheticVqa.Options options;

    Questions(SyntheticVqa.Options options) {
        this.options = options;
    }

    Qa ask(Scene scene, QuestionFamily family, SplitMix64 rng) {
        return switch (family) {
            case EXISTS -> exists(scene, rng);
            case COMPARE -> compare(scene, rng);
            case VERIFY -> verify(scene, rng);
            case COUNT -> count(scene, rng);
            case COLOR -> colour(scene, rng);
            case SHAPE -> shape(scene, rng);
            case BACKGROUND, REGION -> scene.split() == Scene.Split.NONE ? background(scene, rng) : region(scene, rng);
        };
    }

    private Qa exists(Scene scene, SplitMix64 rng) {
        boolean withColour = rng.chance(0.5);
        ShapeKind shape = null;
        Colour colour = null;
        boolean yes = rng.chance(0.5);
        if (!yes) {
            for (int attempt = 0; attempt < 20 && shape == null; attempt++) {
                ShapeKind s = randomShape(rng);
                Colour c = withColour ? randomColour(rng) : null;
                if (scene.count(s, c) == 0) {
                    shape = s;
                    colour = c;
                }
            }
            yes = shape == null;
        }
        if (yes) {
            Scene.Item it = rng.pick(scene.items());
            shape = it.shape();
            colour = withColour ? it.colour() : null;
        }
        String noun = (colour == null ? "" : colour.word + " ") + shape.word;
        String plural = (colour == null ? "" : colour.word + " ") + shape.plural;
        String q = switch (rng.nextInt(7)) {
            case 0 -> "Is there " + article(noun) + " " + noun + "?";
            case 1 -> "Is there " + article(noun) + " " + noun + " in the image?";
            case 2 -> "Are there any " + plural + "?";
            case 3 -> "Do you see " + article(noun) + " " + noun + "?";
            case 4 -> "Can you see " + article(noun) + " " + noun + "?";
            case 5 -> "Does the picture contain " + article(noun) + " " + noun + "?";
            default -> "Does this image have " + article(noun) + " " + noun + "?";
        };
        return Qa.yesNo(q, yes);
    }

    private Qa compare(Scene scene, SplitMix64 rng) {
        ShapeKind shape = rng.chance(0.7) ? rng.pick(scene.items()).shape() : randomShape(rng);
        int count = scene.count(shape, null);
        boolean wantYes = rng.chance(0.5);
        switch (rng.nextInt(3)) {
            case 0 -> {
                // more than n, n in 1..3
                int n = wantYes && count >= 2
                        ? rng.nextInt(1, Math.min(3, count - 1))
                        : rng.nextInt(Math.max(1, Math.min(3, count)), 3);
                return Qa.yesNo("Are there more than " + n + " " + shape.plural + "?", count > n);
            }
            case 1 -> {
                // exactly n, n in 2..4
                int n = wantYes && count >= 2 && count <= 4 ? count : rng.nextInt(2, 4);
                return Qa.yesNo("Are there " + n + " " + shape.plural + "?", count == n);
            }
            default -> {
                if (rng.chance(0.5)) {
                    return Qa.yesNo("Is there exactly one " + shape.word + "?", count == 1);
                }
                return Qa.yesNo("Is there more than one " + shape.word + "?", count > 1);
            }
        }
    }

    private Qa verify(Scene scene, SplitMix64 rng) {
        List<Scene.Item> unique = uniqueByShape(scene);
        boolean yes = rng.chance(0.5);
        if (unique.isEmpty() || rng.chance(0.3)) {
            if (scene.split() != Scene.Split.NONE) {
                String side = rng.pick(scene.split().sides());
                Colour actual = scene.side(side);
                Colour c = yes ? actual : other(Colour.BACKGROUNDS, actual, rng);
                return Qa.yesNo("Is the " + side + " side of the background " + c.word + "?", yes);
            }
            Colour c = yes ? scene.background() : other(Colour.BACKGROUNDS, scene.background(), rng);
            return Qa.yesNo("Is the background " + c.word + "?", yes);
        }
        Scene.Item it = rng.pick(unique);
        Colour c = yes ? it.colour() : other(coloursInUse(), it.colour(), rng);
        return Qa.yesNo("Is the " + it.shape().word + " " + c.word + "?", yes);
    }

    private Qa count(Scene scene, SplitMix64 rng) {
        ShapeKind shape = rng.chance(0.7) ? rng.pick(scene.items()).shape() : randomShape(rng);
        Colour colour = rng.chance(0.7) ? rng.pick(scene.items()).colour() : randomColour(rng);
        return switch (rng.nextInt(4)) {
            case 0 -> {
                String[] t = {" are there?", " are in the picture?", " do you see?"};
                yield Qa.number("How many " + shape.plural + t[rng.nextInt(3)], scene.count(shape, null));
            }
            case 1 -> {
                String[] t = {" shapes are there?", " objects are in the image?", " shapes are in the picture?"};
                yield Qa.number("How many " + colour.word + t[rng.nextInt(3)], scene.count(null, colour));
            }
            case 2 -> {
                String[] t = {"shapes are there?", "shapes are in the picture?", "objects are in the image?"};
                yield Qa.number("How many " + t[rng.nextInt(3)], scene.items().size());
            }
            default ->
                Qa.number("How many " + colour.word + " " + shape.plural + " are there?", scene.count(shape, colour));
        };
    }

    private Qa colour(Scene scene, SplitMix64 rng) {
        List<Scene.Item> unique = uniqueByShape(scene);
        if (!unique.isEmpty() && rng.chance(0.5)) {
            Scene.Item it = rng.pick(unique);
            String q = rng.chance(0.6)
                    ? "What color is the " + it.shape().word + "?"
                    : "What is the color of the " + it.shape().word + "?";
            return Qa.colour(q, it.colour());
        }
        List<Scene.Item> sameColourGroups = new ArrayList<>();
        for (Scene.Item it : scene.items()) {
            int ofShape = scene.count(it.shape(), null);
            if (ofShape >= 2 && scene.count(it.shape(), it.colour()) == ofShape) {
                sameColourGroups.add(it);
            }
        }
        if (!sameColourGroups.isEmpty() && rng.chance(0.3)) {
            Scene.Item it = rng.pick(sameColourGroups);
            return Qa.colour("What color are the " + it.shape().plural + "?", it.colour());
        }
        Scene.Item it = rng.pick(scene.items());
        String where = Scene.CELL_PHRASES[it.row() * 3 + it.col()];
        String q = rng.chance(0.6)
                ? "What color is the shape " + where + "?"
                : "What is the color of the shape " + where + "?";
        return Qa.colour(q, it.colour());
    }

    private Qa shape(Scene scene, SplitMix64 rng) {
        List<Scene.Item> uniqueColour = new ArrayList<>();
        for (Scene.Item it : scene.items()) {
            if (scene.count(null, it.colour()) == 1) {
                uniqueColour.add(it);
            }
        }
        if (!uniqueColour.isEmpty() && rng.chance(0.4)) {
            Scene.Item it = rng.pick(uniqueColour);
            String c = it.colour().word;
            String q = switch (rng.nextInt(3)) {
                case 0 -> "What shape is the " + c + " object?";
                case 1 -> "Which shape is " + c + "?";
                default -> "What kind of shape is " + c + "?";
            };
            return Qa.shape(q, it.shape());
        }
        Scene.Item it = rng.pick(scene.items());
        String where = Scene.CELL_PHRASES[it.row() * 3 + it.col()];
        String q = rng.chance(0.6) ? "What shape is " + where + "?" : "What is the shape " + where + "?";
        return Qa.shape(q, it.shape());
    }

    private Qa background(Scene scene, SplitMix64 rng) {
        String q = switch (rng.nextInt(3)) {
            case 0 -> "What color is the background?";
            case 1 -> "What is the color of the background?";
            default -> "What color is the background of this image?";
        };
        return Qa.colour(q, scene.background());
    }

    private Qa region(Scene scene, SplitMix64 rng) {
        String side = rng.pick(scene.split().sides());
        String half = rng.chance(0.5) ? " side" : " half";
        String q = rng.chance(0.6)
                ? "What color is the " + side + half + " of the background?"
                : "What is the color of the " + side + half + " of the background?";
        return Qa.colour(q, scene.side(side));
    }

    private static List<Scene.Item> uniqueByShape(Scene scene) {
        List<Scene.Item> unique = new ArrayList<>();
        for (Scene.Item it : scene.items()) {
            if (scene.count(it.shape(), null) == 1) {
                unique.add(it);
            }
        }
        return unique;
    }

    private ShapeKind randomShape(SplitMix64 rng) {
        return ShapeKind.values()[rng.nextInt(options.shapes())];
    }

    private Colour randomColour(SplitMix64 rng) {
        return Colour.SHAPE_COLOURS.get(rng.nextInt(options.colours()));
    }

    private List<Colour> coloursInUse() {
        return Colour.SHAPE_COLOURS.subList(0, options.colours());
    }

    private static Colour other(List<Colour> from, Colour not, SplitMix64 rng) {
        Colour c;
        do {
            c = from.get(rng.nextInt(from.size()));
        } while (c == not);
        return c;
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
