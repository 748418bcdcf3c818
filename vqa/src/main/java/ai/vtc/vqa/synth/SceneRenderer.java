package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Draws a {@link Scene} with Java2D and encodes it as PNG or JPEG, deterministically for a given generator. */
final class SceneRenderer {
    private SceneRenderer() {}

    static BufferedImage render(Scene scene, int side, SplitMix64 rng) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        paintBackground(img, scene, rng);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (Scene.Item item : scene.items()) {
                Shape shape = outline(item, side);
                Color fill = new Color(item.colour().rgb);
                g.setColor(fill);
                g.fill(shape);
                g.setColor(fill.darker());
                g.setStroke(new BasicStroke(Math.max(1f, side / 96f)));
                g.draw(shape);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void paintBackground(BufferedImage img, Scene scene, SplitMix64 rng) {
        int side = img.getWidth();
        int half = side / 2;
        switch (scene.split()) {
            case NONE -> paintBackground(img, scene.style(), scene.background().rgb, 0, 0, side, side, rng);
            case LEFT_RIGHT -> {
                paintBackground(img, scene.style(), scene.background().rgb, 0, 0, half, side, rng);
                paintBackground(img, scene.style(), scene.second().rgb, half, 0, side, side, rng);
            }
            case TOP_BOTTOM -> {
                paintBackground(img, scene.style(), scene.background().rgb, 0, 0, side, half, rng);
                paintBackground(img, scene.style(), scene.second().rgb, 0, half, side, side, rng);
            }
        }
    }

    /** Paints the rectangle [x0, x1) x [y0, y1) in {@code style}; patterns stay aligned to the whole image. */
    private static void paintBackground(
            BufferedImage img, Scene.Background style, int base, int x0, int y0, int x1, int y1, SplitMix64 rng) {
        int side = img.getWidth();
        int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        switch (style) {
            case SOLID -> {
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(base));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
                g.dispose();
            }
            case GRADIENT -> {
                Graphics2D g = img.createGraphics();
                boolean vertical = rng.nextInt(2) == 0;
                g.setPaint(new GradientPaint(
                        0,
                        0,
                        new Color(shift(base, -22)),
                        vertical ? 0 : side,
                        vertical ? side : 0,
                        new Color(shift(base, 22))));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
                g.dispose();
            }
            case NOISE -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        pixels[y * side + x] = shift(base, rng.nextInt(41) - 20);
                    }
                }
            }
            case STRIPES -> {
                int period = Math.max(4, side / (6 + rng.nextInt(6)));
                int delta = rng.nextInt(2) == 0 ? 16 : -16;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        boolean dark = ((x + y) / period) % 2 == 0;
                        pixels[y * side + x] = dark ? shift(base, delta) : base;
                    }
                }
            }
        }
    }

    private static Shape outline(Scene.Item item, int side) {
        double r = item.size() * side / 2;
        Shape unit = switch (item.shape()) {
            case CIRCLE -> new Ellipse2D.Double(-1, -1, 2, 2);
            case SQUARE -> polygon(4, Math.PI / 4, 1.0);
            case TRIANGLE -> polygon(3, -Math.PI / 2, 1.0);
            case STAR -> star();
            case DIAMOND -> polygon(4, 0, 1.0);
            case HEXAGON -> polygon(6, 0, 1.0);
        };
        AffineTransform t = new AffineTransform();
        t.translate(item.cx() * side, item.cy() * side);
        t.rotate(item.rotation());
        // polygons inscribed in the circle look smaller than it; scale them so all shapes look about as big
        double scale = switch (item.shape()) {
            case TRIANGLE -> r * 1.15;
            case SQUARE -> r * 1.2;
            case STAR -> r * 1.1;
            default -> r;
        };
        t.scale(scale, scale);
        if (item.shape() == ShapeKind.DIAMOND) {
            t.scale(0.75, 1.0);
        }
        return t.createTransformedShape(unit);
    }

    private static Shape polygon(int corners, double phase, double radius) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < corners; i++) {
            double a = phase + 2 * Math.PI * i / corners;
            if (i == 0) {
                p.moveTo(radius * Math.cos(a), radius * Math.sin(a));
            } else {
                p.lineTo(radius * Math.cos(a), radius * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape star() {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double a = -Math.PI / 2 + Math.PI * i / 5;
            double rad = i % 2 == 0 ? 1.0 : 0.45;
            if (i == 0) {
                p.moveTo(rad * Math.cos(a), rad * Math.sin(a));
            } else {
                p.lineTo(rad * Math.cos(a), rad * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static int shift(int rgb, int delta) {
        int r = clamp(((rgb >> 16) & 0xFF) + delta);
        int g = clamp(((rgb >> 8) & 0xFF) + delta);
        int b = clamp((rgb & 0xFF) + delta);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** PNG (lossless) or JPEG (quality 0.92), encoded in memory without ImageIO's file cache. */
    static byte[] encode(BufferedImage img, String format) throws IOException {
        String f = format.equals("jpeg") ? "jpg" : format;
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(f);
        if (!writers.hasNext()) {
            throw new IllegalArgumentException("no image writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (f.equals("jpg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.92f);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
