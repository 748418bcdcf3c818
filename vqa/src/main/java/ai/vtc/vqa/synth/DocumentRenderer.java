package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Draws a {@link DocumentPage} as a scanned page: off-white paper with a little speckle, near-black print, blue
 * handwriting. The page is laid out in dots (a character cell is 6 x 9 dots, the font 5 x 7, with a margin of
 * {@value #MARGIN} dots: {@value #PAGE_DOTS} dots a side) and every dot is a block of whole pixels, filled without
 * anti-aliasing, so the pixels depend only on the page, the size and the random stream.
 */
final class DocumentRenderer {
    static final int CELL_WIDTH = 6;
    static final int CELL_HEIGHT = 9;
    static final int MARGIN = 16;
    static final int PAGE_DOTS = 2 * MARGIN + DocumentPage.COLUMNS * CELL_WIDTH;

    static {
        if (2 * MARGIN + DocumentPage.ROWS * CELL_HEIGHT != PAGE_DOTS) {
            throw new AssertionError("the page must be square");
        }
    }

    private final int[] pixels;
    private final int side;

    private DocumentRenderer(int[] pixels, int side) {
        this.pixels = pixels;
        this.side = side;
    }

    static BufferedImage render(DocumentPage page, int side, SplitMix64 rng) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        DocumentRenderer r = new DocumentRenderer(pixels, side);
        int paper = 232 + rng.nextInt(20);
        int tint = rng.nextInt(6);
        int paperRgb = rgb(paper, paper, Math.max(0, paper - tint));
        java.util.Arrays.fill(pixels, paperRgb);
        for (int speck = side * side / 400; speck > 0; speck--) {
            int shade = paper - 20 - rng.nextInt(60);
            pixels[rng.nextInt(pixels.length)] = rgb(shade, shade, shade);
        }
        int print = 10 + rng.nextInt(50);
        int printRgb = rgb(print, print, print + rng.nextInt(10));
        int penRgb = rgb(20 + rng.nextInt(30), 30 + rng.nextInt(40), 120 + rng.nextInt(80));
        for (DocumentPage.Rule rule : page.rules()) {
            int v = MARGIN + rule.row() * CELL_HEIGHT + CELL_HEIGHT - 1;
            for (int u = MARGIN + rule.from() * CELL_WIDTH; u < MARGIN + rule.to() * CELL_WIDTH; u++) {
                if (!rule.dashed() || u % 4 < 2) {
                    r.dot(u, v, 1, printRgb);
                }
            }
        }
        for (DocumentPage.Bar bar : page.bars()) {
            int u = MARGIN + bar.column() * CELL_WIDTH + CELL_WIDTH / 2 - 1;
            for (int v = MARGIN + bar.fromRow() * CELL_HEIGHT; v < MARGIN + bar.toRow() * CELL_HEIGHT; v++) {
                r.dot(u, v, 1, printRgb);
            }
        }
        for (DocumentPage.Text text : page.texts()) {
            int colour = text.ink() == DocumentPage.Ink.FILLED ? penRgb : printRgb;
            int s = text.scale();
            for (int k = 0; k < text.text().length(); k++) {
                char c = text.text().charAt(k);
                int u0 = MARGIN + (text.column() + k * s) * CELL_WIDTH;
                int v0 = MARGIN + text.row() * CELL_HEIGHT + 1;
                for (int row = 0; row < BitmapFont.HEIGHT; row++) {
                    for (int column = 0; column < BitmapFont.WIDTH; column++) {
                        if (BitmapFont.inked(c, row, column)) {
                            r.dot(u0 + column * s, v0 + row * s, s, colour);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Fills the pixels of the {@code size} x {@code size} dots at dot ({@code u}, {@code v}); at least one pixel. */
    private void dot(int u, int v, int size, int colour) {
        int x0 = pixel(u);
        int y0 = pixel(v);
        int x1 = Math.max(pixel(u + size), x0 + 1);
        int y1 = Math.max(pixel(v + size), y0 + 1);
        for (int y = y0; y < Math.min(y1, side); y++) {
            java.util.Arrays.fill(pixels, y * side + x0, y * side + Math.min(x1, side), colour);
        }
    }

    private int pixel(int dots) {
        return (int) ((long) dots * side / PAGE_DOTS);
    }

    private static int rgb(int r, int g, int b) {
        return Math.min(255, r) << 16 | Math.min(255, g) << 8 | Math.min(255, b);
    }
}
