package ai.vtc.vqa.synth;

import java.util.List;

/**
 * Colour names the generator uses, with their RGB and what annotators also call them. The first six are shape
 * colours ({@link SyntheticVqa.Options#colours()} takes a prefix), the last three background colours, so a shape
 * always stands out from its background.
 */
enum Colour {
    RED("red", 0xDC1E1E, List.of("dark red", "crimson")),
    BLUE("blue", 0x1E46DC, List.of("dark blue", "navy")),
    GREEN("green", 0x1EAA32, List.of("dark green", "lime")),
    YELLOW("yellow", 0xF0DC1E, List.of("gold", "light yellow")),
    PURPLE("purple", 0x8C32B4, List.of("violet", "magenta")),
    ORANGE("orange", 0xFA8C14, List.of("dark orange", "amber")),
    PINK("pink", 0xFA82BE, List.of("light pink", "magenta")),
    BROWN("brown", 0x825020, List.of("dark brown", "tan")),
    WHITE("white", 0xF5F5F5, List.of("off white", "cream")),
    GRAY("gray", 0x808080, List.of("grey", "silver")),
    BLACK("black", 0x141414, List.of("dark", "dark gray"));

    static final List<Colour> SHAPE_COLOURS = List.of(RED, BLUE, GREEN, YELLOW, PURPLE, ORANGE, PINK, BROWN);
    static final List<Colour> BACKGROUNDS = List.of(WHITE, GRAY, BLACK);

    final String word;
    final int rgb;
    /** Names an annotator may give instead; they do not normalise to {@link #word}. */
    final List<String> synonyms;

    Colour(String word, int rgb, List<String> synonyms) {
        this.word = word;
        this.rgb = rgb;
        this.synonyms = synonyms;
    }
}
