package ai.vtc.florence2.postprocess;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A polygon (or an OCR quad box, four corners clockwise from the top left) in image pixels, written as the processor
 * writes it: the flat list {@code [x1, y1, x2, y2, ...]}. It can be empty: a one-location polygon loses its unpaired
 * coordinate.
 */
public record Polygon(@JsonValue List<Double> coordinates) {

    public Polygon {
        if (coordinates.size() % 2 != 0) {
            throw new IllegalArgumentException("a polygon needs x, y pairs, got " + coordinates.size() + " numbers");
        }
        coordinates = List.copyOf(coordinates);
    }

    public int points() {
        return coordinates.size() / 2;
    }

    public double x(int point) {
        return coordinates.get(2 * point);
    }

    public double y(int point) {
        return coordinates.get(2 * point + 1);
    }
}
