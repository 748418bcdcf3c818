package ai.vtc.vqa.synth;

/** Kinds of synthetic questions; restrict {@link SyntheticVqa.Options#families()} to make a set easier to learn. */
public enum QuestionFamily {
    /** yes/no: "is there a red circle?", "are there any squares?", "do you see a star?" */
    EXISTS,
    /** yes/no: "are there more than 2 squares?", "is there exactly one circle?" */
    COMPARE,
    /** yes/no: "is the circle red?", "is the background white?" */
    VERIFY,
    /** number: "how many triangles are there?", "how many red shapes are in the picture?" */
    COUNT,
    /** other: "what color is the circle?", "what color is the shape in the top left?" */
    COLOR,
    /** other: "what shape is in the top left?", "which shape is red?" */
    SHAPE,
    /** other: "what color is the background?" (on a split background, a {@link #REGION} question) */
    BACKGROUND,
    /**
     * other: "what color is the left side of the background?". Half of the scenes get a background split into two
     * colours (left/right or top/bottom); on the others this is a {@link #BACKGROUND} question. Answering needs
     * where each colour is, which the mean of the visual tokens does not tell.
     */
    REGION
}
