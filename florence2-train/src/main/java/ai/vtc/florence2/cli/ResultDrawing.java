package ai.vtc.florence2.cli;

import ai.vtc.florence2.postprocess.Box;
import ai.vtc.florence2.postprocess.Polygon;
import ai.vtc.florence2.postprocess.TaskAnswer;
import ai.vtc.florence2.postprocess.TaskResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The picture of a task's result, as the Florence-2 model card draws it: the image with each box, quad box or polygon
 * outlined in its own colour and its label on a filled tag at its top left corner. Outlines are drawn without
 * anti-aliasing, so their pixels are exactly the palette's colours.
 */
final class ResultDrawing {

    /** Distinct, saturated colours, one per region in turn. */
    static final List<Color> PALETTE = List.of(
            new Color(230, 25, 75),
            new Color(60, 180, 75),
            new Color(0, 130, 200),
            new Color(245, 130, 48),
            new Color(145, 30, 180),
            new Color(70, 240, 240),
            new Color(240, 50, 230),
            new Color(255, 225, 25));

    private ResultDrawing() {}

    /** Draws {@code result} on a copy of {@code image} and writes it as a PNG file. */
    static void write(BufferedImage image, TaskResult result, Path png) {
        BufferedImage drawn = draw(image, result.answer(), result.task());
        try {
            if (!ImageIO.write(drawn, "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** A copy of {@code image} with the regions of {@code answer} drawn on it. */
    static BufferedImage draw(BufferedImage image, TaskAnswer answer, String task) {
        BufferedImage canvas = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
            float width = Math.max(2f, Math.min(image.getWidth(), image.getHeight()) / 200f);
            g.setStroke(new BasicStroke(width));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.round(width * 6))));
            Painter painter = new Painter(g);
            if (answer instanceof TaskAnswer.LabelledBoxes boxes) {
                painter.boxes(boxes.bboxes(), boxes.labels());
            } else if (answer instanceof TaskAnswer.OcrRegions ocr) {
                painter.polygons(ocr.quadBoxes(), ocr.labels());
            } else if (answer instanceof TaskAnswer.LabelledPolygons polygons) {
                painter.instances(polygons.polygons(), polygons.labels());
            } else if (answer instanceof TaskAnswer.BoxesOrPolygons both) {
                painter.boxes(both.bboxes(), both.bboxesLabels());
                painter.instances(both.polygons(), both.polygonsLabels());
            } else {
                throw new UserInputException(task + " answers with text only; --draw needs a task with regions"
                        + " (boxes, quad boxes or polygons), e.g. <OD>");
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Draws regions in turn, each in the next colour of the palette. */
    private static final class Painter {

        private final Graphics2D g;
        private int next;

        Painter(Graphics2D g) {
            this.g = g;
        }

        void boxes(List<Box> boxes, List<String> labels) {
            for (int i = 0; i < boxes.size(); i++) {
                Box b = boxes.get(i);
                region(
                        List.of(new Rectangle2D.Double(b.x1(), b.y1(), b.x2() - b.x1(), b.y2() - b.y1())),
                        labels.get(i));
            }
        }

        void polygons(List<Polygon> polygons, List<String> labels) {
            for (int i = 0; i < polygons.size(); i++) {
                region(List.of(path(polygons.get(i))), labels.get(i));
            }
        }

        /** One colour and one label per instance, however many polygons it has. */
        void instances(List<List<Polygon>> instances, List<String> labels) {
            for (int i = 0; i < instances.size(); i++) {
                region(instances.get(i).stream().map(Painter::path).toList(), labels.get(i));
            }
        }

        private void region(List<Shape> shapes, String label) {
            Color colour = PALETTE.get(next++ % PALETTE.size());
            g.setColor(colour);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            shapes.forEach(g::draw);
            Rectangle2D bounds = shapes.stream()
                    .map(Shape::getBounds2D)
                    .reduce(Rectangle2D::createUnion)
                    .orElse(null);
            if (bounds != null && !label.isBlank()) {
                tag(label.strip(), bounds, colour);
            }
        }

        /** The label in white on a tag of the region's colour, above its top left corner (inside at the top edge). */
        private void tag(String label, Rectangle2D bounds, Color colour) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            FontMetrics metrics = g.getFontMetrics();
            int height = metrics.getHeight();
            int x = (int) Math.round(bounds.getMinX());
            int top = (int) Math.round(bounds.getMinY()) - height;
            if (top < 0) {
                top = (int) Math.round(bounds.getMinY());
            }
            g.setColor(colour);
            g.fillRect(x, top, metrics.stringWidth(label) + 4, height);
            g.setColor(Color.WHITE);
            g.drawString(label, x + 2, top + metrics.getAscent());
        }

        private static Shape path(Polygon polygon) {
            Path2D.Double path = new Path2D.Double();
            for (int p = 0; p < polygon.points(); p++) {
                if (p == 0) {
                    path.moveTo(polygon.x(p), polygon.y(p));
                } else {
                    path.lineTo(polygon.x(p), polygon.y(p));
                }
            }
            path.closePath();
            return path;
        }
    }
}
