package ai.vtc.vqa.synth;

/**
 * A generated question with its true answer.
 *
 * @param answer the canonical answer, already in normalised form ({@code "yes"}, {@code "3"}, {@code "red"})
 * @param value the {@link Colour}, {@link ShapeKind}, Integer or Boolean behind the answer
 */
record Qa(String question, String answer, Kind kind, Object value) {
    enum Kind {
        YES_NO("yes/no"),
        NUMBER("number"),
        COLOUR("other"),
        SHAPE("other");

        final String answerType;

        Kind(String answerType) {
            this.answerType = answerType;
        }
    }

    static Qa yesNo(String question, boolean yes) {
        return new Qa(question, yes ? "yes" : "no", Kind.YES_NO, yes);
    }

    static Qa number(String question, int n) {
        return new Qa(question, Integer.toString(n), Kind.NUMBER, n);
    }

    static Qa colour(String question, Colour c) {
        return new Qa(question, c.word, Kind.COLOUR, c);
    }

    static Qa shape(String question, ShapeKind s) {
        return new Qa(question, s.word, Kind.SHAPE, s);
    }
}
