package ai.vtc.florence2.postprocess;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** An axis-aligned box in image pixels, written as the processor writes it: {@code [x1, y1, x2, y2]}. */
public record Box(double x1, double y1, double x2, double y2) {

    @JsonValue
    List<Double> json() {
        return List.of(x1, y1, x2, y2);
    }
}
