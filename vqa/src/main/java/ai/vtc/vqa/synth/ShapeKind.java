package ai.vtc.vqa.synth;

import java.util.List;

/** Shapes the generator draws; {@link SyntheticVqa.Options#shapes()} takes a prefix of this order. */
enum ShapeKind {
    CIRCLE("circle", List.of("oval", "round", "ball")),
    SQUARE("square", List.of("rectangle", "box", "block")),
    TRIANGLE("triangle", List.of("pyramid", "arrow")),
    STAR("star", List.of("starfish", "flower")),
    DIAMOND("diamond", List.of("rhombus", "kite")),
    HEXAGON("hexagon", List.of("octagon", "stop sign"));

    final String word;
    final String plural;
    /** Names an annotator may give instead; they do not normalise to {@link #word}. */
    final List<String> synonyms;

    ShapeKind(String word, List<String> synonyms) {
        this.word = word;
        this.plural = word + "s";
        this.synonyms = synonyms;
    }
}
