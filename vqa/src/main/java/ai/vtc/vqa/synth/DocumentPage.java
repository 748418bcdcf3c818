package ai.vtc.vqa.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * What a synthetic document prints, on a grid of {@value #COLUMNS} x {@value #ROWS} character cells: text (at 1 or 2
 * times the font size), horizontal rules under a row and vertical bars through a column. Positions are in cells so
 * that builders place text as a typist would; {@link DocumentRenderer} turns cells into dots and dots into pixels.
 */
final class DocumentPage {
    static final int COLUMNS = 48;
    static final int ROWS = 32;

    /** How a text is inked: printed with the form, or filled in by hand (a blue pen). */
    enum Ink {
        PRINTED,
        FILLED
    }

    record Text(int row, int column, String text, int scale, Ink ink) {}

    /** A rule in the gap under {@code row}, over columns {@code from..to - 1}. */
    record Rule(int row, int from, int to, boolean dashed) {}

    /** A vertical bar through the middle of column {@code column}, over rows {@code fromRow..toRow - 1}. */
    record Bar(int column, int fromRow, int toRow) {}

    private final List<Text> texts = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();

    List<Text> texts() {
        return texts;
    }

    List<Rule> rules() {
        return rules;
    }

    List<Bar> bars() {
        return bars;
    }

    DocumentPage text(int row, int column, String text) {
        return text(row, column, text, 1, Ink.PRINTED);
    }

    DocumentPage filled(int row, int column, String text) {
        return text(row, column, text, 1, Ink.FILLED);
    }

    /** {@code text} ending at column {@code end - 1}, as numbers stand in a column. */
    DocumentPage rightAligned(int row, int end, String text) {
        return text(row, end - text.length(), text);
    }

    /** {@code text} in the middle of the line, at {@code scale} times the font size. */
    DocumentPage centred(int row, String text, int scale) {
        return text(row, (COLUMNS - text.length() * scale) / 2, text, scale, Ink.PRINTED);
    }

    DocumentPage text(int row, int column, String text, int scale, Ink ink) {
        if (row < 0 || row + scale > ROWS || column < 0 || column + text.length() * scale > COLUMNS) {
            throw new IllegalArgumentException("'" + text + "' at row " + row + ", column " + column + " (scale "
                    + scale + ") does not fit the page of " + COLUMNS + " x " + ROWS);
        }
        if (!BitmapFont.canDraw(text)) {
            throw new IllegalArgumentException("'" + text + "' has characters the document font lacks");
        }
        texts.add(new Text(row, column, text, scale, ink));
        return this;
    }

    DocumentPage rule(int row, int from, int to, boolean dashed) {
        rules.add(new Rule(row, from, to, dashed));
        return this;
    }

    DocumentPage bar(int column, int fromRow, int toRow) {
        bars.add(new Bar(column, fromRow, toRow));
        return this;
    }
}
